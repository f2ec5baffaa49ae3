using System.Text.Json;
using System.Text.Json.Nodes;
using AgriChain.Contracts.Epcis;
using AgriChain.Domain.Epcis;
using AgriChain.Storage.Epcis;
using AgriChain.Storage.Tests.Infrastructure;

namespace AgriChain.Storage.Tests.Epcis;

/// <summary>The EPCIS read model, checked on each database; every test has a database of its own.</summary>
public abstract class EpcisEventStoreTests
{
    private static readonly DateTimeOffset Morning = new(2025, 7, 1, 0, 0, 0, TimeSpan.Zero);

    protected abstract Task<StorageSettings> CreateDatabaseAsync(string hint);

    [Fact]
    public async Task CapturingTheSameEventsAgain_StoresThemOnce_AndAnErrorDeclarationReplacesTheEvent()
    {
        await using var harness = await StoreHarness.OpenAsync(await CreateDatabaseAsync("idempotent"));
        var store = new EpcisEventStore(harness.Database);
        var events = Events(Event(0, "shipping", "lot-a"), Event(1, "receiving", "lot-a"));

        var first = await store.CaptureAsync(Capture("cap-1", "coop-a", events));
        var again = await store.CaptureAsync(Capture("cap-2", "coop-a", events));
        var otherScope = await store.CaptureAsync(Capture("cap-3", "coop-b", events));
        var declaration = Event(1, "receiving", "lot-a");
        declaration["errorDeclaration"] = new JsonObject { ["declarationTime"] = "2025-07-02T00:00:00Z", ["reason"] = "incorrect_data" };
        var declared = await store.CaptureAsync(Capture("cap-4", "coop-a", Events(declaration)));

        Assert.Equal(new CaptureOutcome(2, 0, 0), first);
        Assert.Equal(new CaptureOutcome(0, 0, 2), again);
        Assert.Equal(new CaptureOutcome(2, 0, 0), otherScope);
        Assert.Equal(new CaptureOutcome(0, 1, 0), declared);
        Assert.Equal(4, await Sql.CountAsync(harness.Database, "SELECT COUNT(*) FROM agrichain_epcis_events"));
        var page = await store.QueryAsync(new EpcisEventQuery("coop-a", ErrorDeclared: true));
        var stored = Assert.Single(page.Items);
        Assert.NotNull(JsonNode.Parse(stored.Body)!["errorDeclaration"]);
        Assert.Equal(new EpcisCaptureInfo("cap-2", "coop-a", Morning, 2, 0, 0, 2), await store.GetCaptureAsync("coop-a", "cap-2"));
        Assert.Null(await store.GetCaptureAsync("coop-b", "cap-2"));
    }

    [Fact]
    public async Task Query_FiltersByEveryColumn_AndKeepsScopesApart()
    {
        await using var harness = await StoreHarness.OpenAsync(await CreateDatabaseAsync("filters"));
        var store = new EpcisEventStore(harness.Database);
        var transformation = new JsonObject
        {
            ["type"] = "TransformationEvent", ["eventTime"] = Time(5), ["eventTimeZoneOffset"] = "+08:00",
            ["inputQuantityList"] = new JsonArray(new JsonObject { ["epcClass"] = EpcisIdentifiers.Lot("persimmon", "lot-p"), ["quantity"] = 5 }),
            ["outputEPCList"] = new JsonArray("urn:epc:id:sgtin:4012345.077889.25"),
            ["bizStep"] = "commissioning",
        };
        await store.CaptureAsync(Capture("cap-1", "coop-a", Events(Event(0, "shipping", "lot-a"), Event(1, "receiving", "lot-a"),
            Event(2, "https://ref.gs1.org/cbv/BizStep-receiving", "lot-b", location: "urn:epc:id:sgln:0614141.00888.0"), transformation)));
        await store.CaptureAsync(Capture("cap-2", "coop-b", Events(Event(3, "receiving", "lot-a"))));

        async Task<int> Count(EpcisEventQuery query) => (await store.QueryAsync(query)).Items.Count;

        Assert.Equal(4, await Count(new("coop-a")));
        Assert.Equal(5, await Count(new(null)));
        Assert.Equal(2, await Count(new("coop-a", BizSteps: ["receiving"])));
        Assert.Equal(2, await Count(new("coop-a", BizSteps: ["urn:epcglobal:cbv:bizstep:receiving"])));
        Assert.Equal(1, await Count(new("coop-a", EventTypes: ["TransformationEvent"])));
        Assert.Equal(2, await Count(new("coop-a", FromEventTime: Morning.AddHours(1), BeforeEventTime: Morning.AddHours(5))));
        Assert.Equal(1, await Count(new("coop-a", Dispositions: ["in_transit"])));
        Assert.Equal(3, await Count(new("coop-a", Actions: ["OBSERVE"])));
        Assert.Equal(1, await Count(new("coop-a", BizLocations: ["urn:epc:id:sgln:0614141.00888.0"])));
        Assert.Equal(2, await Count(new("coop-a", Identifiers: [new([EpcisIdRole.Class], [EpcisIdentifiers.Lot("nectarine", "lot-a")])])));
        Assert.Equal(3, await Count(new("coop-a", Identifiers: [new([EpcisIdRole.Class], ["urn:agrichain:lot:nectarine:*"])])));
        Assert.Equal(1, await Count(new("coop-a", Identifiers: [new([EpcisIdRole.Class, EpcisIdRole.InputClass], ["urn:agrichain:lot:persimmon:*"])])));
        Assert.Equal(0, await Count(new("coop-a", Identifiers: [new([EpcisIdRole.Class], ["urn:agrichain:lot:persimmon:*"])])));
        Assert.Equal(1, await Count(new("coop-a", Identifiers: [new([EpcisIdRole.Output], ["urn:epc:idpat:sgtin:4012345.077889.*"])])));
        Assert.Equal(0, await Count(new("coop-a", Identifiers: [new([EpcisIdRole.Output], ["urn:epc:idpat:sgtin:4012345.0778%.*"])])));
        Assert.Equal(1, await Count(new("coop-b", BizSteps: ["receiving"])));
        var linked = await store.ListCapturedForBatchesAsync("coop-a", ["lot-a", "lot-p"], 10);
        Assert.Equal(3, linked.Count);
        Assert.Empty(await store.ListCapturedForBatchesAsync("coop-c", ["lot-a"], 10));
    }

    [Fact]
    public async Task ListsOfValues_MatchExactly_HoweverLongAndWhateverTheyContain()
    {
        await using var harness = await StoreHarness.OpenAsync(await CreateDatabaseAsync("long-lists"));
        var store = new EpcisEventStore(harness.Database);
        const string shed = "urn:example:o'brien's-shed(2)";
        await store.CaptureAsync(Capture("cap-1", "coop-a", Events(Event(0, "shipping", "lot-0417"), Event(1, "receiving", "lot-9000"),
            Event(2, "receiving", "lot-0002", location: shed))));

        // A trace asks for the events of every batch in a lineage: a thousand and more at once.
        var lineage = Enumerable.Range(0, 1_500).Select(i => $"lot-{i:D4}").ToList();
        var linked = await store.ListCapturedForBatchesAsync("coop-a", lineage, 10);

        Assert.Equal([EpcisIdentifiers.Lot("nectarine", "lot-0417"), EpcisIdentifiers.Lot("nectarine", "lot-0002")],
            linked.Select(e => JsonNode.Parse(e.Body)!["quantityList"]![0]!["epcClass"]!.GetValue<string>()));
        Assert.Single((await store.QueryAsync(new("coop-a", BizLocations: [shed, "urn:example:elsewhere"]))).Items);
        Assert.Empty((await store.QueryAsync(new("coop-a", BizLocations: ["urn:example:\"shed\"\\", "urn:example:o'brien"]))).Items);
    }

    [Fact]
    public async Task Query_PagesInEventTimeOrder_WithATokenThatResumesAfterTheLastEvent()
    {
        await using var harness = await StoreHarness.OpenAsync(await CreateDatabaseAsync("paging"));
        var store = new EpcisEventStore(harness.Database);
        // Captured out of order, two events at the same time.
        await store.CaptureAsync(Capture("cap-1", "coop-a", Events(Event(4, "shipping", "x"), Event(1, "shipping", "x"), Event(2, "shipping", "y"),
            Event(2, "shipping", "z"), Event(0, "shipping", "x"))));

        var seen = new List<DateTimeOffset>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await store.QueryAsync(new EpcisEventQuery("coop-a", Limit: 2, PageToken: token));
            seen.AddRange(page.Items.Select(e => e.EventTime));
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal([0, 1, 2, 2, 4], seen.Select(t => (int)(t - Morning).TotalHours));
        await Assert.ThrowsAsync<ArgumentException>(() => store.QueryAsync(new EpcisEventQuery("coop-a", PageToken: "not-a-token")));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.QueryAsync(new EpcisEventQuery("coop-a", Limit: 1_001)));
    }

    private static string Time(int hours) => EpcisVocabulary.Time(Morning.AddHours(hours));

    private static JsonObject Event(int hours, string bizStep, string lot, string? location = null)
    {
        var e = new JsonObject
        {
            ["type"] = "ObjectEvent", ["eventTime"] = Time(hours), ["eventTimeZoneOffset"] = "+08:00", ["action"] = "OBSERVE",
            ["bizStep"] = bizStep, ["disposition"] = bizStep == "shipping" ? "in_transit" : "in_progress",
            ["quantityList"] = new JsonArray(new JsonObject { ["epcClass"] = EpcisIdentifiers.Lot("nectarine", lot), ["quantity"] = 10, ["uom"] = "KGM" }),
        };
        if (location is not null)
        {
            e["bizLocation"] = new JsonObject { ["id"] = location };
        }

        return e;
    }

    private static IReadOnlyList<EpcisEventRecord> Events(params JsonObject[] events)
    {
        using var document = JsonDocument.Parse(EpcisDocuments.Document(events, Morning).ToJsonString());
        var content = EpcisCapture.Prepare(document.RootElement, Morning);
        Assert.Null(content.Problem);
        return content.Events;
    }

    private static EpcisCaptureRequest Capture(string id, string scope, IReadOnlyList<EpcisEventRecord> events) =>
        new(id, scope, EpcisEventSource.Capture, "test", Morning, events.Count, events);
}

public sealed class SqliteEpcisEventStoreTests : EpcisEventStoreTests, IDisposable
{
    private readonly SqliteFiles _files = new("epcis");

    public void Dispose() => _files.Dispose();

    protected override Task<StorageSettings> CreateDatabaseAsync(string hint) => _files.SettingsAsync(hint);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlEpcisEventStoreTests(PostgresServer server) : EpcisEventStoreTests
{
    protected override async Task<StorageSettings> CreateDatabaseAsync(string hint) =>
        new(StorageProvider.PostgreSql, await server.CreateDatabaseAsync(hint));
}
