using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgriChain.Contracts.Traceability;
using AgriChain.Domain.Epcis;
using AgriChain.Domain.Traceability;
using AgriChain.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AgriChain.Server.Tests.Epcis;

[Collection(AppCollection.Name)]
public sealed class EpcisEndpointTests(AppFixture fixture)
{
    private readonly HttpClient _admin = fixture.App.Admin();

    private static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private sealed record World(string Coop, string Farm, string Greenhouse, HttpClient Owner, string Buyer, HttpClient BuyerClient);

    private async Task<World> WorldAsync()
    {
        var coop = await Seed.CooperativeAsync(_admin);
        var farm = await Seed.FarmAsync(_admin, coop);
        var gh = await Seed.GreenhouseAsync(_admin, farm);
        var buyer = await Seed.BuyerAsync(_admin);
        return new World(coop, farm, gh,
            fixture.App.ClientWithKey(await fixture.App.IssueKeyAsync(new { role = "cooperative", cooperativeId = coop, label = "owner" })),
            buyer,
            fixture.App.ClientWithKey(await fixture.App.IssueKeyAsync(new { role = "buyer", buyerId = buyer, label = "buyer" })));
    }

    private static async Task<string> HarvestAsync(World w, decimal kg, string product = "nectarine", DateTimeOffset? at = null)
    {
        var id = Seed.NewId("lot");
        var response = await w.Owner.PostAsJsonAsync("/api/v1/batches", new
        {
            id, product, quantity = kg, unit = "kg", grade = "a", ownerId = w.Coop,
            origin = new { farmId = w.Farm, greenhouseId = w.Greenhouse, harvestedAt = Iso(at ?? DateTimeOffset.UtcNow.AddMinutes(-1)) },
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return id;
    }

    /// <summary>Exports the batch, checks it against GS1's schema and that a second export is byte for byte the same.</summary>
    private static async Task<JsonArray> ExportAsync(HttpClient client, string batchId, string query = "")
    {
        var response = await client.GetAsync($"/api/v1/batches/{batchId}/epcis{query}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("application/ld+json", response.Content.Headers.ContentType?.MediaType);
        using (var parsed = JsonDocument.Parse(text))
        {
            var verdict = EpcisSchema.Instance.Validate(parsed.RootElement);
            Assert.True(verdict.IsValid, string.Join("\n", verdict.Lines) + "\n" + text);
        }

        Assert.Equal(text, await client.GetStringAsync($"/api/v1/batches/{batchId}/epcis{query}"));
        var document = JsonNode.Parse(text)!;
        Assert.Equal("EPCISDocument", (string?)document["type"]);
        Assert.Equal(EpcisVocabulary.StandardContext, (string?)document["@context"]![0]);
        return document["epcisBody"]!["eventList"]!.AsArray();
    }

    private static IEnumerable<string?> Steps(JsonArray events) => events.Select(e => (string?)e!["bizStep"]);

    [Fact]
    public async Task HarvestOnly_ExportsItsCommissioning()
    {
        var w = await WorldAsync();
        var lot = await HarvestAsync(w, 500);

        var events = await ExportAsync(w.Owner, lot);

        var e = Assert.Single(events)!;
        Assert.Equal("ADD", (string?)e["action"]);
        Assert.Equal($"urn:agrichain:loc:greenhouse:{w.Greenhouse}", (string?)e["bizLocation"]!["id"]);
        Assert.Equal($"urn:agrichain:lot:nectarine:{lot}", (string?)e["quantityList"]![0]!["epcClass"]);
        Assert.Equal("+08:00", (string?)e["eventTimeZoneOffset"]);
    }

    [Fact]
    public async Task SplitMergeAndShipment_ExportAsTransformationsAndAShipmentToTheBuyer()
    {
        var w = await WorldAsync();
        var root = await HarvestAsync(w, 1000);
        var other = await HarvestAsync(w, 200);
        var (p1, p2, mixed) = (Seed.NewId("p1"), Seed.NewId("p2"), Seed.NewId("mix"));
        Assert.Equal(HttpStatusCode.OK, (await w.Owner.PostAsJsonAsync($"/api/v1/batches/{root}/split",
            new { parts = new[] { new { id = p1, quantity = 300m }, new { id = p2, quantity = 200m } } })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await w.Owner.PostAsJsonAsync("/api/v1/batches/merge",
            new { id = mixed, inputs = new[] { new { batchId = p2, quantity = 200m }, new { batchId = other, quantity = 50m } } })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await w.Owner.PostAsJsonAsync($"/api/v1/batches/{mixed}/events",
            new { id = "insp-1", type = "inspected", at = Iso(DateTimeOffset.UtcNow), result = "passed" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await w.Owner.PostAsJsonAsync($"/api/v1/batches/{mixed}/events",
            new { id = "ship-1", type = "shipped", at = Iso(DateTimeOffset.UtcNow), buyerId = w.Buyer, quantity = 100m })).StatusCode);

        var splitOnly = await ExportAsync(w.Owner, p1, "?direction=upstream");
        var merged = await ExportAsync(w.Owner, mixed, "?direction=upstream");
        var asBuyer = await ExportAsync(w.BuyerClient, mixed, "?direction=upstream");

        Assert.Equal(["commissioning", "commissioning"], Steps(splitOnly));
        var split = Assert.Single(splitOnly, e => (string?)e!["type"] == "TransformationEvent")!;
        Assert.Equal(2, split["outputQuantityList"]!.AsArray().Count);
        Assert.Equal(500m, split["inputQuantityList"]![0]!["quantity"]!.GetValue<decimal>());

        Assert.Equal(2, merged.Count(e => (string?)e!["type"] == "TransformationEvent"));
        var merge = merged.Single(e => (string?)e!["agrichain:operation"] == "merge")!;
        Assert.Equal([$"urn:agrichain:lot:nectarine:{other}", $"urn:agrichain:lot:nectarine:{p2}"],
            merge["inputQuantityList"]!.AsArray().Select(q => (string?)q!["epcClass"]).Order(StringComparer.Ordinal));
        var shipping = Assert.Single(merged, e => (string?)e!["bizStep"] == "shipping")!;
        Assert.Equal($"urn:agrichain:party:buyer:{w.Buyer}", (string?)shipping["destinationList"]![0]!["destination"]);
        Assert.Single(merged, e => (string?)e!["bizStep"] == "inspecting");
        Assert.Equal(merged.Count, asBuyer.Count);
    }

    [Fact]
    public async Task WineLot_ShowsTheTransformationFromPersimmonLots_AndTheColdNightOfTheirGreenhouse()
    {
        var w = await WorldAsync();
        var night = DateTimeOffset.UtcNow.AddHours(-6);
        Assert.Equal(HttpStatusCode.OK, (await _admin.PutAsJsonAsync($"/api/v1/greenhouses/{w.Greenhouse}/stage",
            new { stage = "flowering", since = Iso(night.AddHours(-1)) })).StatusCode);
        var readings = await _admin.PostAsJsonAsync($"/api/v1/greenhouses/{w.Greenhouse}/readings", new
        {
            readings = new[]
            {
                new { at = Iso(night), temperatureC = 12.0 }, new { at = Iso(night.AddMinutes(10)), temperatureC = 8.5 },
                new { at = Iso(night.AddMinutes(20)), temperatureC = 7.0 }, new { at = Iso(night.AddMinutes(30)), temperatureC = 11.0 },
            },
        });
        Assert.Equal(HttpStatusCode.OK, readings.StatusCode);
        var persimmons1 = await HarvestAsync(w, 800, "persimmon");
        var persimmons2 = await HarvestAsync(w, 200, "persimmon");
        var wine = Seed.NewId("wine");
        // Processing runs create their outputs through the batch operation grain with transform edges.
        var grains = fixture.App.Services.GetRequiredService<IGrainFactory>();
        var run = await grains.GetGrain<IBatchOperationGrain>(Seed.NewId("run")).RunAsync(new OperationPlan(EdgeKind.Transform,
            [new OperationInput(persimmons1, 800), new OperationInput(persimmons2, 200)],
            [new OperationOutput(wine, new BatchSpec("persimmon-wine", 450, "bottle", null, w.Coop, null))], "test"));
        Assert.Equal(OperationStatus.Completed, run.Status);

        var events = await ExportAsync(w.Owner, wine);

        var transformation = Assert.Single(events, e => (string?)e!["type"] == "TransformationEvent")!;
        Assert.Equal(new[] { $"urn:agrichain:lot:persimmon:{persimmons1}", $"urn:agrichain:lot:persimmon:{persimmons2}" }.Order(StringComparer.Ordinal),
            transformation["inputQuantityList"]!.AsArray().Select(q => (string?)q!["epcClass"]).Order(StringComparer.Ordinal));
        Assert.Equal($"urn:agrichain:lot:persimmon-wine:{wine}", (string?)transformation["outputQuantityList"]![0]!["epcClass"]);
        var harvests = events.Where(e => (string?)e!["bizStep"] == "commissioning" && (string?)e!["type"] == "ObjectEvent").ToList();
        Assert.Equal(2, harvests.Count);
        foreach (var harvest in harvests)
        {
            var element = Assert.Single(harvest!["sensorElementList"]!.AsArray())!;
            var reports = element["sensorReport"]!.AsArray();
            Assert.Equal(10m, reports[0]!["agrichain:threshold"]!.GetValue<decimal>());
            Assert.Equal(7m, reports[0]!["minValue"]!.GetValue<decimal>());
            Assert.Equal([8.5m, 7m, 11m], reports.Skip(1).Select(r => r!["value"]!.GetValue<decimal>()));
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task GsExample_IsCaptured_AndQueriesBackTheSameEvents(string name)
    {
        var w = await WorldAsync();
        var source = ExampleNode(name);

        var capture = await PostAsync(w.Owner, source.ToJsonString(), "application/ld+json");
        var again = await PostAsync(w.Owner, source.ToJsonString(), "application/json");

        Assert.Equal(HttpStatusCode.Accepted, capture.StatusCode);
        var receipt = await capture.Content.ReadFromJsonAsync<JsonElement>();
        var expected = source["epcisBody"]!["eventList"]!.AsArray();
        Assert.Equal(expected.Count, receipt.GetProperty("eventCount").GetInt32());
        Assert.Equal(expected.Count, receipt.GetProperty("stored").GetInt32());
        Assert.Equal(expected.Count, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicates").GetInt32());
        Assert.NotNull(capture.Headers.Location);
        var status = await w.Owner.GetFromJsonAsync<JsonElement>(capture.Headers.Location);
        Assert.Equal(expected.Count, status.GetProperty("stored").GetInt32());

        var answered = await QueryAsync(w.Owner, "");
        Assert.Equal(expected.Select(Normalise).Order(StringComparer.Ordinal), answered.Select(Normalise).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AllFiveEventTypes_AndAnErrorDeclaration_AreCapturedAndFiltered()
    {
        var w = await WorldAsync();
        var events = new JsonArray(
            Event("ObjectEvent", 1, e => { e["action"] = "OBSERVE"; e["epcList"] = new JsonArray("urn:epc:id:sgtin:0614141.107346.1"); e["bizStep"] = "shipping"; }),
            Event("AggregationEvent", 2, e => { e["action"] = "ADD"; e["parentID"] = "urn:epc:id:sscc:0614141.1234567890"; e["childEPCs"] = new JsonArray("urn:epc:id:sgtin:0614141.107346.1"); }),
            Event("TransactionEvent", 3, e => { e["action"] = "ADD"; e["bizTransactionList"] = new JsonArray(new JsonObject { ["type"] = "po", ["bizTransaction"] = "urn:epcglobal:cbv:bt:0614141073467:1" }); e["epcList"] = new JsonArray("urn:epc:id:sgtin:0614141.107346.1"); }),
            Event("TransformationEvent", 4, e => { e["inputEPCList"] = new JsonArray("urn:epc:id:sgtin:0614141.107346.1"); e["outputEPCList"] = new JsonArray("urn:epc:id:sgtin:0614141.107346.2"); }),
            Event("AssociationEvent", 5, e => { e["action"] = "ADD"; e["parentID"] = "urn:epc:id:grai:4012345.55555.987"; e["childEPCs"] = new JsonArray("urn:epc:id:sgtin:0614141.107346.2"); }));
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(w.Owner, Document(events), "application/ld+json")).StatusCode);
        var declaration = events[0]!.DeepClone().AsObject();
        declaration["errorDeclaration"] = new JsonObject { ["declarationTime"] = Iso(DateTimeOffset.UtcNow), ["reason"] = "incorrect_data" };
        var declared = await PostAsync(w.Owner, Document(new JsonArray(declaration)), "application/ld+json");
        Assert.Equal(1, (await declared.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("declared").GetInt32());

        Assert.Equal(5, (await QueryAsync(w.Owner, "")).Count);
        Assert.Equal(["AggregationEvent", "AssociationEvent"], (await QueryAsync(w.Owner, "?eventType=AggregationEvent,AssociationEvent")).Select(e => (string?)e!["type"]));
        // epcList (object, transaction), childEPCs (aggregation) and inputEPCList (transformation).
        Assert.Equal(4, (await QueryAsync(w.Owner, "?MATCH_anyEPC=urn:epc:id:sgtin:0614141.107346.1")).Count);
        // epcList or childEPCs of the object, aggregation, transaction and association events.
        Assert.Equal(4, (await QueryAsync(w.Owner, "?MATCH_epc=urn:epc:idpat:sgtin:0614141.107346.*")).Count);
        Assert.Single(await QueryAsync(w.Owner, "?MATCH_parentID=urn:epc:id:sscc:0614141.1234567890"));
        Assert.Single(await QueryAsync(w.Owner, "?MATCH_outputEPC=urn:epc:id:sgtin:0614141.107346.2"));
        var withError = Assert.Single(await QueryAsync(w.Owner, "?EXISTS_errorDeclaration"))!;
        Assert.Equal("incorrect_data", (string?)withError["errorDeclaration"]!["reason"]);
        Assert.Equal(2, (await QueryAsync(w.Owner, $"?GE_eventTime={Uri.EscapeDataString(Iso(Base.AddHours(2)))}&LT_eventTime={Uri.EscapeDataString(Iso(Base.AddHours(4)))}")).Count);
        Assert.Single(await QueryAsync(w.Owner, "?EQ_bizStep=shipping&EQ_action=OBSERVE"));

        // Another cooperative sees none of them; an admin sees them all.
        var stranger = fixture.App.ClientWithKey(await fixture.App.IssueKeyAsync(new { role = "cooperative", cooperativeId = await Seed.CooperativeAsync(_admin), label = "x" }));
        Assert.Empty(await QueryAsync(stranger, "?MATCH_anyEPC=urn:epc:id:sgtin:0614141.107346.1"));
        Assert.True((await QueryAsync(_admin, "?MATCH_anyEPC=urn:epc:id:sgtin:0614141.107346.1")).Count >= 3);
        Assert.Equal(HttpStatusCode.Forbidden, (await w.BuyerClient.GetAsync("/api/v1/epcis/events")).StatusCode);
    }

    [Fact]
    public async Task Query_PagesWithPerPage_AndTheNextPageToken()
    {
        var w = await WorldAsync();
        var events = new JsonArray(Enumerable.Range(0, 7).Select(i => (JsonNode)Event("ObjectEvent", i, e =>
        {
            e["action"] = "OBSERVE";
            e["epcList"] = new JsonArray($"urn:epc:id:sgtin:0614141.107346.{i}");
        })).ToArray());
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(w.Owner, Document(events), "application/json")).StatusCode);

        var seen = new List<string?>();
        var url = "/api/v1/epcis/events?perPage=3&eventType=ObjectEvent";
        var pages = 0;
        while (url is not null)
        {
            var response = await w.Owner.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            using (var parsed = JsonDocument.Parse(text))
            {
                Assert.True(EpcisSchema.Instance.Validate(parsed.RootElement).IsValid, text);
            }

            var document = JsonNode.Parse(text)!;
            seen.AddRange(document["epcisBody"]!["queryResults"]!["resultsBody"]!["eventList"]!.AsArray().Select(e => (string?)e!["epcList"]![0]));
            var link = response.Headers.TryGetValues("Link", out var values) ? values.Single() : null;
            Assert.Equal(link is null, document["agrichain:nextPageToken"] is null);
            url = link is null ? null : link[1..link.IndexOf('>', StringComparison.Ordinal)];
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (string?)$"urn:epc:id:sgtin:0614141.107346.{i}"), seen);
        var bad = await w.Owner.GetAsync("/api/v1/epcis/events?perPage=0&GE_eventTime=yesterday&WD_readPoint=x");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["GE_eventTime", "WD_readPoint", "perPage"], errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task BrokenDocuments_AreRefusedWithTheSchemasComplaint()
    {
        var w = await WorldAsync();
        var missingAction = ExampleNode("Example_9.6.1-ObjectEvent.jsonld");
        missingAction["epcisBody"]!["eventList"]![1]!.AsObject().Remove("action");

        var response = await PostAsync(w.Owner, missingAction.ToJsonString(), "application/ld+json");
        var notJson = await PostAsync(w.Owner, "{\"type\": ", "application/json");
        var wrongType = await PostAsync(w.Owner, "{}", "text/plain");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("required: Required properties [\"action\"] are not present",
            problem.GetProperty("errors").GetProperty("epcisBody.eventList[1]")[0].GetString());
        Assert.Contains("epcisBody.eventList[1]", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
        Assert.Empty(await QueryAsync(w.Owner, ""));
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(w.BuyerClient, ExampleNode("SensorDataExample1.jsonld").ToJsonString(), "application/json")).StatusCode);
    }

    [Fact]
    public async Task PartnersReceivingEvent_ShowsOnTheBatchsExport_ForItsCooperativeOnly()
    {
        var w = await WorldAsync();
        var lot = await HarvestAsync(w, 300);
        Assert.Equal(HttpStatusCode.Created, (await w.Owner.PostAsJsonAsync($"/api/v1/batches/{lot}/events",
            new { id = "ship-1", type = "shipped", at = Iso(DateTimeOffset.UtcNow), buyerId = w.Buyer, quantity = 100m })).StatusCode);
        var receiving = Event("ObjectEvent", 0, e =>
        {
            e["eventTime"] = Iso(DateTimeOffset.UtcNow.AddMinutes(1));
            e["action"] = "OBSERVE";
            e["bizStep"] = "receiving";
            e["disposition"] = "in_progress";
            e["bizLocation"] = new JsonObject { ["id"] = "urn:epc:id:sgln:0614141.00888.0" };
            e["quantityList"] = new JsonArray(new JsonObject { ["epcClass"] = $"urn:agrichain:lot:nectarine:{lot}", ["quantity"] = 100, ["uom"] = "KGM" });
        });
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(w.Owner, Document(new JsonArray(receiving)), "application/ld+json")).StatusCode);

        var owners = await ExportAsync(w.Owner, lot);
        var buyers = await ExportAsync(w.BuyerClient, lot);

        Assert.Equal(["commissioning", "shipping", "receiving"], Steps(owners));
        Assert.Equal("urn:epc:id:sgln:0614141.00888.0", (string?)owners[2]!["bizLocation"]!["id"]);
        Assert.Equal(["commissioning", "shipping"], Steps(buyers));
        var trace = await w.Owner.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{lot}/trace");
        var partner = Assert.Single(trace.GetProperty("partnerEvents").EnumerateArray());
        Assert.Equal("receiving", partner.GetProperty("bizStep").GetString());
        Assert.Equal("urn:epc:id:sgln:0614141.00888.0", partner.GetProperty("bizLocation").GetString());
        var buyerTrace = await w.BuyerClient.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{lot}/trace");
        Assert.Equal(0, buyerTrace.GetProperty("partnerEvents").GetArrayLength());
        // AgriChain's own events are in the read model too, for the event query.
        var own = await QueryAsync(w.Owner, $"?MATCH_epcClass={Uri.EscapeDataString($"urn:agrichain:lot:nectarine:{lot}")}");
        Assert.Equal(["commissioning", "shipping", "receiving"], Steps(own));
    }

    public static TheoryData<string> Examples => new(Directory.GetFiles(ExamplesFolder(), "*.jsonld").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal));

    private static readonly DateTimeOffset Base = new(2025, 7, 1, 0, 0, 0, TimeSpan.Zero);

    private static JsonObject Event(string type, int hours, Action<JsonObject> fill)
    {
        var e = new JsonObject { ["type"] = type, ["eventTime"] = Iso(Base.AddHours(hours)), ["eventTimeZoneOffset"] = "+08:00" };
        fill(e);
        return e;
    }

    private static string Document(JsonArray events) => new JsonObject
    {
        ["@context"] = new JsonArray(EpcisVocabulary.StandardContext),
        ["type"] = "EPCISDocument",
        ["schemaVersion"] = "2.0",
        ["creationDate"] = Iso(DateTimeOffset.UtcNow),
        ["epcisBody"] = new JsonObject { ["eventList"] = events },
    }.ToJsonString();

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string body, string mediaType)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return await client.PostAsync("/api/v1/epcis/capture", content);
    }

    private static async Task<JsonArray> QueryAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/v1/epcis/events{query}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!["epcisBody"]!["queryResults"]!["resultsBody"]!["eventList"]!.AsArray();
    }

    /// <summary>An event as content: without what the repository adds (recordTime, the carried context), times as instants.</summary>
    private static string Normalise(JsonNode? e)
    {
        var copy = e!.DeepClone().AsObject();
        copy.Remove("recordTime");
        copy.Remove("@context");
        copy["eventTime"] = EpcisVocabulary.Time(DateTimeOffset.Parse((string)copy["eventTime"]!, CultureInfo.InvariantCulture));
        return string.Join(",", copy.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value?.ToJsonString()}"));
    }

    private static JsonObject ExampleNode(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(ExamplesFolder(), name)))!.AsObject();

    /// <summary>GS1's examples, kept once in the Domain tests (see its EpcisTestData).</summary>
    private static string ExamplesFolder()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "AgriChain.sln")))
        {
            folder = folder.Parent;
        }

        return Path.Combine(folder!.FullName, "tests", "AgriChain.Domain.Tests", "Epcis", "Examples");
    }
}
