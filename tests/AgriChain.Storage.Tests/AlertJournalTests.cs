using AgriChain.Contracts.Greenhouses;
using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.MasterData;
using AgriChain.Storage.Greenhouses;
using AgriChain.Storage.Tests.Infrastructure;

namespace AgriChain.Storage.Tests;

/// <summary>The alert journal, checked on each database; every test has a database of its own.</summary>
public abstract class AlertJournalTests
{
    private static readonly DateTimeOffset Night = new(2025, 3, 10, 22, 0, 0, TimeSpan.Zero);

    private static readonly GreenhouseLocation NorthPlot = Location("gh-north", "farm-li", "coop-east", "xiahe", "lucheng", "yuncheng");

    /// <summary>Creates an empty database and returns the "Storage" settings that reach it.</summary>
    protected abstract Task<StorageSettings> CreateDatabaseAsync(string hint);

    [Fact]
    public async Task UpsertedAlert_IsReadBackWithEveryField()
    {
        await using var harness = await OpenAsync("round-trip");
        var beijing = TimeSpan.FromHours(8);
        var alert = new Alert(
            "alert-1",
            "gh-north",
            AlertKind.TemperatureBelowFloor,
            GrowthStage.Flowering,
            10.0,
            OpenedAt: Night.ToOffset(beijing),
            ClosedAt: Night.AddMinutes(47).AddTicks(1_234_567),
            WorstValue: 7.25,
            MinutesOutOfRange: 47,
            DegreeMinutes: 93.5,
            AcknowledgedBy: "technician-wang",
            AcknowledgedAt: Night.AddMinutes(20),
            AcknowledgementNote: "Heater restarted; 炉子重新点着了");

        await harness.Alerts.UpsertAsync([new AlertRecord(alert, NorthPlot)]);

        var stored = await harness.Alerts.GetAsync("alert-1");
        // Times come back in UTC, to the microsecond.
        var expected = alert with { OpenedAt = Night, ClosedAt = Night.AddMinutes(47).AddTicks(1_234_560) };
        Assert.Equal(new AlertRecord(expected, NorthPlot), stored);
        Assert.Equal(TimeSpan.Zero, stored!.Alert.OpenedAt.Offset);
        Assert.Null(await harness.Alerts.GetAsync("alert-unknown"));
    }

    [Fact]
    public async Task UpsertingAgain_ReplacesTheAlert_AndDeleteRemovesOnlyTheNamedOnes()
    {
        await using var harness = await OpenAsync("replace");
        var open = NewAlert("alert-1", Night);
        var sensorSilent = NewAlert("alert-2", Night.AddHours(1)) with { Kind = AlertKind.SensorSilent, Stage = null, Threshold = null, WorstValue = null };
        await harness.Alerts.UpsertAsync([new AlertRecord(open, NorthPlot), new AlertRecord(sensorSilent, NorthPlot)]);

        var closed = open with { ClosedAt = Night.AddMinutes(30), MinutesOutOfRange = 30, DegreeMinutes = 45 };
        await harness.Alerts.UpsertAsync([new AlertRecord(closed, NorthPlot)]);

        Assert.Equal(new AlertRecord(closed, NorthPlot), await harness.Alerts.GetAsync("alert-1"));
        Assert.Equal(new AlertRecord(sensorSilent, NorthPlot), await harness.Alerts.GetAsync("alert-2"));
        Assert.Equal(2, await Sql.CountAsync(harness.Database, "SELECT COUNT(*) FROM agrichain_alerts"));
        Assert.Equal("TemperatureBelowFloor|Flowering", await Sql.ScalarAsync(harness.Database,
            "SELECT kind || '|' || stage FROM agrichain_alerts WHERE alert_id = 'alert-1'"));

        await harness.Alerts.DeleteAsync(["alert-1", "alert-never-written"]);

        Assert.Null(await harness.Alerts.GetAsync("alert-1"));
        Assert.NotNull(await harness.Alerts.GetAsync("alert-2"));
    }

    [Fact]
    public async Task Query_FiltersByOpenOrClosed()
    {
        await using var harness = await OpenAsync("state");
        await harness.Alerts.UpsertAsync(
        [
            new AlertRecord(NewAlert("open-1", Night), NorthPlot),
            new AlertRecord(NewAlert("closed-1", Night.AddHours(1)) with { ClosedAt = Night.AddHours(2) }, NorthPlot),
            new AlertRecord(NewAlert("open-2", Night.AddHours(2)), NorthPlot),
        ]);

        Assert.Equal(["open-2", "open-1"], await IdsAsync(harness.Alerts, new AlertQuery(AlertStateFilter.Open)));
        Assert.Equal(["closed-1"], await IdsAsync(harness.Alerts, new AlertQuery(AlertStateFilter.Closed)));
        Assert.Equal(["open-2", "closed-1", "open-1"], await IdsAsync(harness.Alerts, new AlertQuery(AlertStateFilter.All)));
    }

    [Fact]
    public async Task Query_FiltersByEachPlace_AndCombinesFiltersWithAnd()
    {
        await using var harness = await OpenAsync("filters");
        var places = new[]
        {
            ("a", Location("gh-1", "farm-1", "coop-1", "village-1", "township-1", "county-1")),
            ("b", Location("gh-2", "farm-1", "coop-1", "village-1", "township-1", "county-1")),
            ("c", Location("gh-3", "farm-2", "coop-1", "village-2", "township-1", "county-1")),
            ("d", Location("gh-4", "farm-3", "coop-2", "village-3", "township-2", "county-1")),
            ("e", Location("gh-5", "farm-4", "coop-3", "village-4", "township-3", "county-2")),
        };
        await harness.Alerts.UpsertAsync(places
            .Select((place, i) => new AlertRecord(NewAlert(place.Item1, Night.AddMinutes(i), place.Item2.GreenhouseId), place.Item2))
            .ToArray());

        var all = new AlertQuery(AlertStateFilter.All);
        Assert.Equal(["b"], await IdsAsync(harness.Alerts, all with { GreenhouseId = "gh-2" }));
        Assert.Equal(["d", "b", "a"], await IdsAsync(harness.Alerts, all with { FarmIds = ["farm-1", "farm-3"] }));
        Assert.Empty(await IdsAsync(harness.Alerts, all with { FarmIds = [] }));
        Assert.Equal(["c", "b", "a"], await IdsAsync(harness.Alerts, all with { CooperativeId = "coop-1" }));
        Assert.Equal(["b", "a"], await IdsAsync(harness.Alerts, all with { Village = "village-1" }));
        Assert.Equal(["c", "b", "a"], await IdsAsync(harness.Alerts, all with { Township = "township-1" }));
        Assert.Equal(["d", "c", "b", "a"], await IdsAsync(harness.Alerts, all with { County = "county-1" }));
        Assert.Equal(["c"], await IdsAsync(harness.Alerts, all with { County = "county-1", CooperativeId = "coop-1", FarmIds = ["farm-2", "farm-3"] }));
        Assert.Empty(await IdsAsync(harness.Alerts, all with { GreenhouseId = "gh-1", Village = "village-2" }));
        Assert.Empty(await IdsAsync(harness.Alerts, new AlertQuery(AlertStateFilter.Closed, County: "county-1")));
    }

    [Fact]
    public async Task Query_PagesThroughThreePages_NewestFirst_TiesById_AndLaterInsertsDoNotShiftPages()
    {
        await using var harness = await OpenAsync("paging");
        // Pairs opened at the same time are ordered by id.
        var alerts = new[]
        {
            NewAlert("alert-g", Night.AddMinutes(1)),
            NewAlert("alert-b", Night.AddMinutes(3)),
            NewAlert("alert-a", Night.AddMinutes(3)),
            NewAlert("alert-f", Night.AddMinutes(2)),
            NewAlert("alert-c", Night.AddMinutes(2)),
            NewAlert("alert-e", Night.AddMinutes(5)),
            NewAlert("alert-d", Night),
        };
        await harness.Alerts.UpsertAsync(alerts.Select(alert => new AlertRecord(alert, NorthPlot)).ToArray());
        var query = new AlertQuery(AlertStateFilter.All, Limit: 3);

        var first = await harness.Alerts.QueryAsync(query);
        // Newer alerts arriving between pages appear on a fresh first page, not on the next ones.
        await harness.Alerts.UpsertAsync([new AlertRecord(NewAlert("alert-z", Night.AddHours(1)), NorthPlot)]);
        var second = await harness.Alerts.QueryAsync(query with { PageToken = first.NextPageToken });
        var third = await harness.Alerts.QueryAsync(query with { PageToken = second.NextPageToken });

        Assert.Equal(["alert-e", "alert-a", "alert-b"], first.Items.Select(record => record.Alert.Id));
        Assert.Equal(["alert-c", "alert-f", "alert-g"], second.Items.Select(record => record.Alert.Id));
        Assert.Equal(["alert-d"], third.Items.Select(record => record.Alert.Id));
        Assert.NotNull(first.NextPageToken);
        Assert.NotNull(second.NextPageToken);
        Assert.Null(third.NextPageToken);
        Assert.DoesNotContain('=', first.NextPageToken!);
        var exact = await harness.Alerts.QueryAsync(new AlertQuery(AlertStateFilter.All, Limit: 8));
        Assert.Equal(8, exact.Items.Count);
        Assert.Null(exact.NextPageToken);
    }

    [Fact]
    public async Task BadPageTokensAndLimits_AreRejected()
    {
        await using var harness = await OpenAsync("bad-token");
        await harness.Alerts.UpsertAsync([new AlertRecord(NewAlert("alert-1", Night), NorthPlot)]);
        var query = new AlertQuery(AlertStateFilter.All);

        foreach (var token in new[] { "not base64!", "bm9wZQ", "OjE", "MTIzOg", "eDphbGVydA", string.Empty, new string('A', 600) })
        {
            await Assert.ThrowsAsync<ArgumentException>(() => harness.Alerts.QueryAsync(query with { PageToken = token }));
        }

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => harness.Alerts.QueryAsync(query with { Limit = 0 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => harness.Alerts.QueryAsync(query with { Limit = 1_001 }));
        Assert.Single((await harness.Alerts.QueryAsync(query with { Limit = 1_000 })).Items);
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Alerts.UpsertAsync(
            [new AlertRecord(NewAlert("alert-2", Night, "gh-other"), NorthPlot)]));
    }

    private async Task<StoreHarness> OpenAsync(string hint) => await StoreHarness.OpenAsync(await CreateDatabaseAsync(hint));

    private static async Task<List<string>> IdsAsync(AlertJournal journal, AlertQuery query) =>
        (await journal.QueryAsync(query)).Items.Select(record => record.Alert.Id).ToList();

    private static Alert NewAlert(string id, DateTimeOffset openedAt, string greenhouseId = "gh-north") =>
        new(id, greenhouseId, AlertKind.TemperatureBelowFloor, GrowthStage.Flowering, 10.0, openedAt, null, 8.0, 12, 18, null, null, null);

    private static GreenhouseLocation Location(string greenhouse, string farm, string cooperative, string village, string township, string county) =>
        new(greenhouse, farm, cooperative, new Region(village, township, county));
}
