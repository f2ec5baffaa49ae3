using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgriChain.Server.Tests.Infrastructure;

namespace AgriChain.Server.Tests.Traceability;

[Collection(AppCollection.Name)]
public sealed class BatchEndpointTests(AppFixture fixture)
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

    private static object Batch(string id, World w, decimal kg = 1000) => new
    {
        id,
        product = "nectarine",
        quantity = kg,
        unit = "kg",
        grade = "a",
        ownerId = w.Coop,
        origin = new { farmId = w.Farm, greenhouseId = w.Greenhouse, harvestedAt = Iso(DateTimeOffset.UtcNow.AddMinutes(-1)) },
    };

    private static async Task<string> CreateAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/batches", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task CreateBatch_IsIdempotent_AndConflictsOnOtherContent()
    {
        var w = await WorldAsync();
        var id = Seed.NewId("b");
        var body = Batch(id, w);

        Assert.Equal(HttpStatusCode.Created, (await w.Owner.PostAsJsonAsync("/api/v1/batches", body)).StatusCode);
        var again = await w.Owner.PostAsJsonAsync("/api/v1/batches", body);
        var other = await w.Owner.PostAsJsonAsync("/api/v1/batches", Batch(id, w, 999));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        var batch = await w.Owner.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{id}");
        Assert.Equal(1000, batch.GetProperty("quantity").GetDecimal());
        Assert.Equal(1000, batch.GetProperty("initialQuantity").GetDecimal());
        Assert.Equal("active", batch.GetProperty("status").GetString());
        Assert.Equal(w.Greenhouse, batch.GetProperty("origin").GetProperty("greenhouseId").GetString());
    }

    [Fact]
    public async Task CreateBatch_ValidatesEveryFieldAndOwnership()
    {
        var w = await WorldAsync();
        var bad = await _admin.PostAsJsonAsync("/api/v1/batches", new { id = "Bad Id", product = "nectarine", quantity = -5, unit = "sack", grade = "x", ownerId = w.Coop });
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["grade", "id", "quantity", "unit"], errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        var otherCoop = await Seed.CooperativeAsync(_admin);
        var foreignFarm = await Seed.FarmAsync(_admin, otherCoop);
        var body = new { id = Seed.NewId("b"), product = "nectarine", quantity = 5, unit = "kg", grade = "a", ownerId = w.Coop,
            origin = new { farmId = foreignFarm, harvestedAt = Iso(DateTimeOffset.UtcNow) } };
        var foreign = await w.Owner.PostAsJsonAsync("/api/v1/batches", body);
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.True((await foreign.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("origin.farmId", out _));

        using var theirs = fixture.App.ClientWithKey(await fixture.App.IssueKeyAsync(new { role = "cooperative", cooperativeId = otherCoop, label = "o" }));
        Assert.Equal(HttpStatusCode.Forbidden, (await theirs.PostAsJsonAsync("/api/v1/batches", Batch(Seed.NewId("b"), w))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await w.BuyerClient.PostAsJsonAsync("/api/v1/batches", Batch(Seed.NewId("b"), w))).StatusCode);
    }

    [Fact]
    public async Task SplitMergeShipTraceAndRecall_WorkEndToEnd()
    {
        var w = await WorldAsync();
        var root = await CreateAsync(w.Owner, Batch(Seed.NewId("root"), w, 1000));
        var other = await CreateAsync(w.Owner, Batch(Seed.NewId("other"), w, 200));
        var (p1, p2, mixed) = (Seed.NewId("p1"), Seed.NewId("p2"), Seed.NewId("mix"));

        var split = await w.Owner.PostAsJsonAsync($"/api/v1/batches/{root}/split",
            new { parts = new[] { new { id = p1, quantity = 300m }, new { id = p2, quantity = 200m } } });
        Assert.Equal(HttpStatusCode.OK, split.StatusCode);
        var splitAgain = await w.Owner.PostAsJsonAsync($"/api/v1/batches/{root}/split",
            new { parts = new[] { new { id = p1, quantity = 300m }, new { id = p2, quantity = 200m } } });
        Assert.Equal(HttpStatusCode.OK, splitAgain.StatusCode);
        Assert.Equal(500, (await w.Owner.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{root}")).GetProperty("quantity").GetDecimal());

        var merge = await w.Owner.PostAsJsonAsync("/api/v1/batches/merge",
            new { id = mixed, inputs = new[] { new { batchId = p2, quantity = 200m }, new { batchId = other, quantity = 50m } } });
        Assert.Equal(HttpStatusCode.Created, merge.StatusCode);
        Assert.Equal(250, (await merge.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("quantity").GetDecimal());

        var ship = await w.Owner.PostAsJsonAsync($"/api/v1/batches/{mixed}/events",
            new { id = "ship-1", type = "shipped", at = Iso(DateTimeOffset.UtcNow), buyerId = w.Buyer, quantity = 100m });
        Assert.Equal(HttpStatusCode.Created, ship.StatusCode);
        var shipped = (await ship.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("quantity").GetDecimal();
        Assert.Equal(150, shipped);

        // The buyer now reads the batch it received and its ancestors, but not unrelated batches.
        Assert.Equal(HttpStatusCode.OK, (await w.BuyerClient.GetAsync($"/api/v1/batches/{mixed}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await w.BuyerClient.GetAsync($"/api/v1/batches/{root}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await w.BuyerClient.GetAsync($"/api/v1/batches/{p1}")).StatusCode);

        var down = await w.Owner.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{root}/trace?direction=downstream");
        var nodes = down.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("batchId").GetString()).ToHashSet();
        Assert.Equal(new HashSet<string?> { root, p1, p2, mixed }, nodes);
        var edges = down.GetProperty("edges").EnumerateArray().Select(e => (e.GetProperty("from").GetString(), e.GetProperty("to").GetString(),
            e.GetProperty("quantity").GetDecimal(), e.GetProperty("kind").GetString())).ToHashSet();
        Assert.Contains((root, p1, 300m, "split"), edges);
        Assert.Contains((p2, mixed, 200m, "merge"), edges);
        var shipment = Assert.Single(down.GetProperty("shipments").EnumerateArray());
        Assert.Equal(w.Buyer, shipment.GetProperty("buyerId").GetString());

        var up = await w.Owner.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{mixed}/trace?direction=upstream");
        Assert.Equal(new HashSet<string?> { mixed, p2, other, root },
            up.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("batchId").GetString()).ToHashSet());
        Assert.Equal(new HashSet<string?> { root, other },
            up.GetProperty("origins").EnumerateArray().Select(o => o.GetProperty("batchId").GetString()).ToHashSet());

        var recall = await w.Owner.PostAsJsonAsync($"/api/v1/batches/{root}/recall", new { reason = "residue above limit" });
        Assert.Equal(HttpStatusCode.OK, recall.StatusCode);
        var impact = await recall.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(new[] { root, p1, p2, mixed }.Order(StringComparer.Ordinal), impact.GetProperty("batches").EnumerateArray().Select(b => b.GetString()));
        Assert.Equal([w.Buyer], impact.GetProperty("buyers").EnumerateArray().Select(b => b.GetString()));
        Assert.Equal(500 + 300 + 0 + 250, impact.GetProperty("quantityByUnit").GetProperty("kg").GetDecimal());
        var again = await (await w.Owner.PostAsJsonAsync($"/api/v1/batches/{root}/recall", new { reason = "residue above limit" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(impact.GetProperty("batches").GetRawText(), again.GetProperty("batches").GetRawText());
        Assert.Equal("recalled", (await w.Owner.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{mixed}")).GetProperty("status").GetString());
        Assert.Equal("active", (await w.Owner.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{other}")).GetProperty("status").GetString());

        var blocked = await w.Owner.PostAsJsonAsync($"/api/v1/batches/{p1}/split", new { parts = new[] { new { id = Seed.NewId("x"), quantity = 1m } } });
        Assert.Equal(HttpStatusCode.Conflict, blocked.StatusCode);
        Assert.Equal("batch is recalled", (await blocked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("shortfalls")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Shortfalls_Are409WithTheAvailableQuantity()
    {
        var w = await WorldAsync();
        var root = await CreateAsync(w.Owner, Batch(Seed.NewId("root"), w, 100));

        var response = await w.Owner.PostAsJsonAsync($"/api/v1/batches/{root}/split", new { parts = new[] { new { id = Seed.NewId("p"), quantity = 150m } } });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var shortfall = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("shortfalls")[0];
        Assert.Equal(100, shortfall.GetProperty("available").GetDecimal());
        Assert.Equal(150, shortfall.GetProperty("requested").GetDecimal());
        var ship = await w.Owner.PostAsJsonAsync($"/api/v1/batches/{root}/events",
            new { id = "s", type = "shipped", at = Iso(DateTimeOffset.UtcNow), buyerId = w.Buyer, quantity = 101m });
        Assert.Equal(HttpStatusCode.Conflict, ship.StatusCode);
        Assert.Equal(100, (await w.Owner.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{root}")).GetProperty("quantity").GetDecimal());
    }

    [Fact]
    public async Task ColdNightInFlowering_FlagsTheBatchAndEverythingMadeFromIt()
    {
        var w = await WorldAsync();
        var start = DateTimeOffset.UtcNow.AddHours(-3);
        Assert.Equal(HttpStatusCode.OK, (await _admin.PutAsJsonAsync($"/api/v1/greenhouses/{w.Greenhouse}/stage",
            new { stage = "flowering", since = Iso(start.AddHours(-1)) })).StatusCode);
        await _admin.PostAsJsonAsync($"/api/v1/greenhouses/{w.Greenhouse}/readings", new
        {
            readings = new[] { new { at = Iso(start), temperatureC = 12.0 }, new { at = Iso(start.AddMinutes(10)), temperatureC = 7.0 }, new { at = Iso(start.AddMinutes(20)), temperatureC = 12.0 } },
        });
        var root = await CreateAsync(w.Owner, Batch(Seed.NewId("root"), w, 100));
        var part = Seed.NewId("part");
        await w.Owner.PostAsJsonAsync($"/api/v1/batches/{root}/split", new { parts = new[] { new { id = part, quantity = 10m } } });

        var trace = await w.Owner.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{part}/trace?direction=upstream");

        Assert.True(trace.GetProperty("coldEvent").GetBoolean());
        Assert.False(trace.GetProperty("conditionsUnverified").GetBoolean());
        var origin = Assert.Single(trace.GetProperty("origins").EnumerateArray());
        Assert.Equal(10, origin.GetProperty("coldExposure").GetProperty("minutesBelowFloor").GetDouble());
        Assert.Equal(30, origin.GetProperty("coldExposure").GetProperty("degreeMinutesBelowFloor").GetDouble());
        Assert.All(trace.GetProperty("nodes").EnumerateArray(), n => Assert.True(n.GetProperty("coldEvent").GetBoolean()));
    }

    [Fact]
    public async Task GreenhouseWithoutStages_MarksConditionsUnverified()
    {
        var w = await WorldAsync();
        var root = await CreateAsync(w.Owner, Batch(Seed.NewId("root"), w, 100));

        var trace = await w.Owner.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{root}/trace");

        Assert.False(trace.GetProperty("coldEvent").GetBoolean());
        Assert.True(trace.GetProperty("conditionsUnverified").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, (await w.Owner.GetAsync($"/api/v1/batches/{root}/trace?direction=sideways")).StatusCode);
    }

    [Fact]
    public async Task TechniciansAndOtherCooperatives_CannotReadBatches()
    {
        var w = await WorldAsync();
        var root = await CreateAsync(w.Owner, Batch(Seed.NewId("root"), w, 100));
        using var tech = fixture.App.ClientWithKey(await fixture.App.IssueKeyAsync(new { role = "technician", farmIds = new[] { w.Farm }, label = "t" }));
        var otherCoop = await Seed.CooperativeAsync(_admin);
        using var theirs = fixture.App.ClientWithKey(await fixture.App.IssueKeyAsync(new { role = "cooperative", cooperativeId = otherCoop, label = "o" }));

        Assert.Equal(HttpStatusCode.Forbidden, (await tech.GetAsync($"/api/v1/batches/{root}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await theirs.GetAsync($"/api/v1/batches/{root}/trace")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await theirs.PostAsJsonAsync($"/api/v1/batches/{root}/recall", new { reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync($"/api/v1/batches/{Seed.NewId("none")}")).StatusCode);
    }
}
