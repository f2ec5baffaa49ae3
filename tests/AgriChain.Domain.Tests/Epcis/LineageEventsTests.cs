using System.Text.Json;
using System.Text.Json.Nodes;
using AgriChain.Domain.Epcis;
using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.Traceability;

namespace AgriChain.Domain.Tests.Epcis;

/// <summary>Every lineage shape maps to events that GS1's schema accepts, with the content the mapping promises.</summary>
public sealed class LineageEventsTests
{
    private static readonly DateTimeOffset Harvest = new(2025, 6, 20, 2, 0, 0, TimeSpan.Zero);
    private static readonly TimeZoneInfo Shanghai = EpcisVocabulary.ZoneOrDefault("Asia/Shanghai");

    private static LineageBatch Harvested(string id, decimal kg, string product = "nectarine") =>
        new(id, new BatchSpec(product, kg, "kg", "a", "coop-east", new BatchOrigin("farm-li", "gh-7", Harvest)), [], [], [], Harvest.AddMinutes(5));

    private static LineageSnapshot Snapshot(IEnumerable<string> shown, IEnumerable<LineageBatch> batches,
        IReadOnlyDictionary<string, IReadOnlyList<ColdSpell>>? spells = null, string? onlyTo = null) =>
        new(shown.ToHashSet(StringComparer.Ordinal), batches.ToDictionary(b => b.Id, StringComparer.Ordinal),
            new Dictionary<string, TimeZoneInfo> { ["farm-li"] = Shanghai }, spells ?? new Dictionary<string, IReadOnlyList<ColdSpell>>(), onlyTo);

    private static JsonObject ValidDocument(LineageSnapshot snapshot)
    {
        var events = LineageEvents.Map(snapshot);
        var document = EpcisDocuments.Document(events, Harvest);
        using var parsed = JsonDocument.Parse(document.ToJsonString());
        var verdict = EpcisSchema.Instance.Validate(parsed.RootElement);
        Assert.True(verdict.IsValid, string.Join("\n", verdict.Lines) + "\n" + document.ToJsonString());
        return document;
    }

    private static JsonArray Events(JsonObject document) => document["epcisBody"]!["eventList"]!.AsArray();

    [Fact]
    public void HarvestOnly_IsOneCommissioningAtTheGreenhouse()
    {
        var document = ValidDocument(Snapshot(["h1"], [Harvested("h1", 1200)]));

        var e = Assert.Single(Events(document))!;
        Assert.Equal("ObjectEvent", (string?)e["type"]);
        Assert.Equal("ADD", (string?)e["action"]);
        Assert.Equal("commissioning", (string?)e["bizStep"]);
        Assert.Equal("active", (string?)e["disposition"]);
        Assert.Equal("2025-06-20T02:00:00.000Z", (string?)e["eventTime"]);
        Assert.Equal("+08:00", (string?)e["eventTimeZoneOffset"]);
        Assert.Equal("urn:agrichain:loc:greenhouse:gh-7", (string?)e["bizLocation"]!["id"]);
        Assert.Equal("urn:agrichain:loc:greenhouse:gh-7", (string?)e["readPoint"]!["id"]);
        var lot = e["quantityList"]![0]!;
        Assert.Equal("urn:agrichain:lot:nectarine:h1", (string?)lot["epcClass"]);
        Assert.Equal(1200m, lot["quantity"]!.GetValue<decimal>());
        Assert.Equal("KGM", (string?)lot["uom"]);
        Assert.Equal("urn:agrichain:loc:farm:farm-li", (string?)e["ilmd"]!["agrichain:farm"]);
        Assert.StartsWith("ni:///sha-256;", (string?)e["eventID"], StringComparison.Ordinal);
    }

    [Fact]
    public void Split_IsOneTransformationFromTheLotToItsParts()
    {
        var root = Harvested("h1", 1000) with
        {
            Children = [new("p1", 300, EdgeKind.Split, "split-1"), new("p2", 200, EdgeKind.Split, "split-1")],
        };
        var part = (string id, decimal q) => new LineageBatch(id, root.Spec with { Quantity = q }, [new("h1", q, EdgeKind.Split, "split-1")], [], [],
            Harvest.AddDays(1));

        var document = ValidDocument(Snapshot(["h1", "p1", "p2"], [root, part("p1", 300), part("p2", 200)]));

        var transformation = Assert.Single(Events(document), e => (string?)e!["type"] == "TransformationEvent")!;
        Assert.Equal([("urn:agrichain:lot:nectarine:h1", 500m)], Quantities(transformation["inputQuantityList"]));
        Assert.Equal([("urn:agrichain:lot:nectarine:p1", 300m), ("urn:agrichain:lot:nectarine:p2", 200m)], Quantities(transformation["outputQuantityList"]));
        Assert.Equal("urn:agrichain:op:split-1", (string?)transformation["transformationID"]);
        Assert.Equal("split", (string?)transformation["agrichain:operation"]);
        Assert.Equal("2025-06-21T02:00:00.000Z", (string?)transformation["eventTime"]);
        Assert.Equal(2, Events(document).Count);
    }

    [Fact]
    public void Merge_TakesEachInputsQuantity_AndEveryInputEvenWhenOnlyTheMergedLotIsShown()
    {
        var a = Harvested("a", 400) with { Children = [new("m", 150, EdgeKind.Merge, "merge-m")] };
        var b = Harvested("b", 300) with { Children = [new("m", 100, EdgeKind.Merge, "merge-m")] };
        var merged = new LineageBatch("m", a.Spec with { Quantity = 250, Origin = null },
            [new("a", 150, EdgeKind.Merge, "merge-m"), new("b", 100, EdgeKind.Merge, "merge-m")], [], [], Harvest.AddDays(2));

        var document = ValidDocument(Snapshot(["m"], [a, b, merged]));

        var transformation = Assert.Single(Events(document))!;
        Assert.Equal([("urn:agrichain:lot:nectarine:a", 150m), ("urn:agrichain:lot:nectarine:b", 100m)], Quantities(transformation["inputQuantityList"]));
        Assert.Equal([("urn:agrichain:lot:nectarine:m", 250m)], Quantities(transformation["outputQuantityList"]));
        Assert.Equal("+08:00", (string?)transformation["eventTimeZoneOffset"]);
    }

    [Fact]
    public void Processing_IsATransformationFromPersimmonLotsToWine()
    {
        var p1 = Harvested("pers-1", 800, "persimmon") with { Children = [new("wine-1", 800, EdgeKind.Transform, "run-7")] };
        var p2 = Harvested("pers-2", 200, "persimmon") with { Children = [new("wine-1", 200, EdgeKind.Transform, "run-7")] };
        var wine = new LineageBatch("wine-1", new BatchSpec("persimmon-wine", 450, "bottle", null, "coop-east", null),
            [new("pers-1", 800, EdgeKind.Transform, "run-7"), new("pers-2", 200, EdgeKind.Transform, "run-7")], [], [], Harvest.AddDays(40));

        var document = ValidDocument(Snapshot(["pers-1", "pers-2", "wine-1"], [p1, p2, wine]));

        var transformation = Assert.Single(Events(document), e => (string?)e!["type"] == "TransformationEvent")!;
        Assert.Equal([("urn:agrichain:lot:persimmon:pers-1", 800m), ("urn:agrichain:lot:persimmon:pers-2", 200m)], Quantities(transformation["inputQuantityList"]));
        var output = transformation["outputQuantityList"]![0]!.AsObject();
        Assert.Equal("urn:agrichain:lot:persimmon-wine:wine-1", (string?)output["epcClass"]);
        Assert.Equal(450m, output["quantity"]!.GetValue<decimal>());
        Assert.False(output.ContainsKey("uom"), "bottles are counted, so no unit of measure");
        Assert.Equal("transform", (string?)transformation["agrichain:operation"]);
        Assert.Equal("commissioning", (string?)transformation["bizStep"]);
    }

    [Fact]
    public void ShipmentInspectionAndReceipt_AreObjectEventsWithTheBuyerAsDestination()
    {
        var batch = Harvested("h1", 100) with
        {
            Events =
            [
                new("insp-1", BatchEventType.Inspected, Harvest.AddHours(3), "passed", null, null, "Lab 2", null, "key-1"),
                new("ship-1", BatchEventType.Shipped, Harvest.AddHours(5), null, "buyer-fresh", 60, null, null, "key-1"),
                new("ship-2", BatchEventType.Shipped, Harvest.AddHours(6), null, "buyer-other", 10, null, null, "key-1"),
                new("recv-1", BatchEventType.Received, Harvest.AddHours(9), null, null, null, null, "cold room", "key-1"),
            ],
        };

        var all = Events(ValidDocument(Snapshot(["h1"], [batch])));
        var forBuyer = Events(ValidDocument(Snapshot(["h1"], [batch], onlyTo: "buyer-fresh")));

        Assert.Equal(["commissioning", "inspecting", "shipping", "shipping", "receiving"], all.Select(e => (string?)e!["bizStep"]));
        var inspection = all[1]!;
        Assert.Equal("conformant", (string?)inspection["disposition"]);
        Assert.Equal("OBSERVE", (string?)inspection["action"]);
        var shipping = all[2]!;
        Assert.Equal("in_transit", (string?)shipping["disposition"]);
        Assert.Equal("urn:agrichain:party:cooperative:coop-east", (string?)shipping["sourceList"]![0]!["source"]);
        Assert.Equal("owning_party", (string?)shipping["destinationList"]![0]!["type"]);
        Assert.Equal("urn:agrichain:party:buyer:buyer-fresh", (string?)shipping["destinationList"]![0]!["destination"]);
        Assert.Equal(60m, shipping["quantityList"]![0]!["quantity"]!.GetValue<decimal>());
        Assert.Equal("in_progress", (string?)all[4]!["disposition"]);
        Assert.Equal(["commissioning", "inspecting", "shipping", "receiving"], forBuyer.Select(e => (string?)e!["bizStep"]));
        Assert.DoesNotContain("buyer-other", forBuyer.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ColdNight_IsSensorDataOnTheHarvestWithReadingsAndTheFloor()
    {
        var opened = Harvest.AddDays(-60);
        var alert = new Alert("alert-1", "gh-7", AlertKind.TemperatureBelowFloor, GrowthStage.Flowering, 10.0, opened, opened.AddMinutes(20),
            7.0, 20, 45, null, null, null);
        IReadOnlyList<StoredReading> readings =
        [
            new(1, opened, 8.5, 60, "s1"), new(2, opened.AddMinutes(10), 7.0, 62, "s1"), new(3, opened.AddMinutes(20), 11.0, 60, "s1"),
        ];
        var spells = new Dictionary<string, IReadOnlyList<ColdSpell>> { ["h1"] = [new ColdSpell(alert, "nectarine", readings)] };

        var e = Assert.Single(Events(ValidDocument(Snapshot(["h1"], [Harvested("h1", 50)], spells))))!;

        var element = Assert.Single(e["sensorElementList"]!.AsArray())!;
        Assert.Equal("2025-04-21T02:00:00.000Z", (string?)element["sensorMetadata"]!["startTime"]);
        Assert.Equal("2025-04-21T02:20:00.000Z", (string?)element["sensorMetadata"]!["endTime"]);
        Assert.Equal("urn:agrichain:rule:temperature-floor:nectarine:flowering", (string?)element["sensorMetadata"]!["bizRules"]);
        var reports = element["sensorReport"]!.AsArray();
        Assert.Equal("ALARM_CONDITION", (string?)reports[0]!["exception"]);
        Assert.Equal(7m, reports[0]!["minValue"]!.GetValue<decimal>());
        Assert.Equal(10m, reports[0]!["agrichain:threshold"]!.GetValue<decimal>());
        Assert.Equal([8.5m, 7m, 11m], reports.Skip(1).Select(r => r!["value"]!.GetValue<decimal>()));
        Assert.All(reports, r => Assert.Equal("CEL", (string?)r!["uom"]));
        Assert.Equal("urn:agrichain:sensor:gh-7:s1", (string?)reports[1]!["deviceID"]);
    }

    [Fact]
    public void MappingTwice_GivesTheSameEvents()
    {
        var root = Harvested("h1", 1000) with { Children = [new("p1", 300, EdgeKind.Split, "split-1")] };
        var part = new LineageBatch("p1", root.Spec with { Quantity = 300 }, [new("h1", 300, EdgeKind.Split, "split-1")], [], [], Harvest.AddDays(1));
        var batches = new[] { root, part };

        var first = EpcisDocuments.Document(LineageEvents.Map(Snapshot(["h1", "p1"], batches)), Harvest).ToJsonString();
        var second = EpcisDocuments.Document(LineageEvents.Map(Snapshot(["p1", "h1"], batches.Reverse())), Harvest).ToJsonString();

        Assert.Equal(first, second);
    }

    private static List<(string?, decimal)> Quantities(JsonNode? list) =>
        list!.AsArray().Select(q => ((string?)q!["epcClass"], q["quantity"]!.GetValue<decimal>())).ToList();
}
