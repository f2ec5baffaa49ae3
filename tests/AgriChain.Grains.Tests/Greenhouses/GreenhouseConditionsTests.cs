using AgriChain.Contracts.Greenhouses;
using AgriChain.Contracts.MasterData;
using AgriChain.Domain.Common;
using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.MasterData;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Providers;
using Orleans.Storage;

namespace AgriChain.Grains.Tests.Greenhouses;

[Collection(ClusterCollection.Name)]
public sealed class GreenhouseConditionsTests(ClusterFixture fixture)
{
    private static readonly Region Wenxi = new("Xibeizhuang", "Dongzhen", "Wenxi");

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..30];

    private async Task<IGreenhouseGrain> FloweringGreenhouseAsync(DateTimeOffset since, string crop = "nectarine")
    {
        var coop = NewId("coop");
        var farm = NewId("farm");
        await fixture.Grains.GetGrain<ICooperativeGrain>(coop).PutAsync(new CooperativeProfile("Co-op", Wenxi));
        await fixture.Grains.GetGrain<IFarmGrain>(farm).PutAsync(new FarmProfile("Park", coop, Wenxi, FarmKind.Greenhouse, "Asia/Shanghai"));
        var greenhouse = fixture.Grains.GetGrain<IGreenhouseGrain>(NewId("gh"));
        Assert.Equal(UpsertOutcome.Created, (await greenhouse.PutAsync(new GreenhouseProfile(farm, "House", crop, "v", 1m))).Outcome);
        Assert.Equal(UpsertOutcome.Updated, (await greenhouse.SetStageAsync(GrowthStage.Flowering, since)).Outcome);
        return greenhouse;
    }

    [Fact]
    public async Task ReadingsAppendedBeforeALostStateWrite_AreReplayedOnActivation()
    {
        var start = ClusterFixture.Clock.GetUtcNow().AddHours(-3);
        var greenhouse = await FloweringGreenhouseAsync(start.AddHours(-1));
        var id = greenhouse.GetPrimaryKeyString();
        await greenhouse.RecordReadingsAsync([new Reading(start, 12, null, "s1")]);

        // As if the grain had appended these and died before writing its state.
        var store = fixture.Services.GetRequiredService<IReadingStore>();
        var cold = Enumerable.Range(1, 30).Select(m => new Reading(start.AddMinutes(m), 8.5, null, "s1"))
            .Append(new Reading(start.AddMinutes(31), 11, null, "s1")).ToList();
        Assert.Equal(31, (await store.AppendAsync(id, cold)).Inserted.Count);
        await fixture.DeactivateAllAsync();

        var view = await greenhouse.GetAsync();

        Assert.NotNull(view);
        Assert.Equal(start.AddMinutes(31), view.Latest!.At);
        Assert.Equal(30, view.ColdExposure!.MinutesBelowFloor, precision: 9);
        Assert.Equal(45, view.ColdExposure.DegreeMinutesBelowFloor, precision: 9);
        var journal = fixture.Services.GetRequiredService<IAlertJournal>();
        var alerts = await journal.QueryAsync(new AlertQuery(AlertStateFilter.Closed, GreenhouseId: id));
        var alert = Assert.Single(alerts.Items).Alert;
        Assert.Equal(45, alert.DegreeMinutes, precision: 9);

        // Nothing is applied twice: the same readings again are duplicates.
        var again = await greenhouse.RecordReadingsAsync(cold);
        Assert.Equal(31, again!.Duplicates);
        Assert.Equal(45, (await greenhouse.GetAsync())!.ColdExposure!.DegreeMinutesBelowFloor, precision: 9);
    }

    [Fact]
    public async Task InBandReadings_AreNotWrittenToStateEachTime_ButAGracefulDeactivationSavesThem()
    {
        var start = ClusterFixture.Clock.GetUtcNow().AddHours(-3);
        var greenhouse = await FloweringGreenhouseAsync(start.AddHours(-1));
        var id = greenhouse.GetPrimaryKeyString();
        await greenhouse.RecordReadingsAsync([new Reading(start, 12, null, "s1")]);
        var savedAfterFirst = await StoredWatermarkAsync(id);

        for (var minute = 1; minute <= 5; minute++)
        {
            Assert.Equal(1, (await greenhouse.RecordReadingsAsync([new Reading(start.AddMinutes(minute), 12 + minute, null, "s1")]))!.Accepted);
        }

        // Nothing changed but the snapshot, which the reading store can rebuild: no state write per request.
        Assert.Equal(savedAfterFirst, await StoredWatermarkAsync(id));
        Assert.Equal(start.AddMinutes(5), (await greenhouse.GetAsync())!.Latest!.At);

        await fixture.DeactivateAllAsync();

        Assert.True(await StoredWatermarkAsync(id) > savedAfterFirst);
        Assert.Equal(17, (await greenhouse.GetAsync())!.Latest!.TemperatureC);
    }

    [Fact]
    public async Task ConditionSummaryOfAFinishedCycle_FollowsReadingsThatArriveLateInsideIt()
    {
        var start = ClusterFixture.Clock.GetUtcNow().AddHours(-6);
        var greenhouse = await FloweringGreenhouseAsync(start);
        Assert.Equal(UpsertOutcome.Updated, (await greenhouse.SetStageAsync(GrowthStage.FruitGrowth, start.AddHours(2))).Outcome);
        await greenhouse.RecordReadingsAsync([new Reading(start.AddHours(3), 18, null, "s1")]);
        var harvestedAt = start.AddHours(4);

        // No reading during flowering: nothing vouches for it, asked once or twice.
        Assert.True((await greenhouse.GetConditionSummaryAsync(harvestedAt))!.ConditionsUnverified);
        Assert.True((await greenhouse.GetConditionSummaryAsync(harvestedAt))!.ConditionsUnverified);

        // A gateway that was offline delivers the flowering readings late.
        await greenhouse.RecordReadingsAsync([new Reading(start.AddHours(1), 14, null, "s1")]);

        Assert.False((await greenhouse.GetConditionSummaryAsync(harvestedAt))!.ConditionsUnverified);
    }

    [Fact]
    public async Task ColdReadingsOfAFinishedFlowering_ArrivingLate_OpenAndCloseItsAlert_AndCountInItsExposure()
    {
        var start = ClusterFixture.Clock.GetUtcNow().AddHours(-8);
        var greenhouse = await FloweringGreenhouseAsync(start);
        var id = greenhouse.GetPrimaryKeyString();
        await greenhouse.RecordReadingsAsync([new Reading(start.AddHours(1), 15, null, "s1")]);
        Assert.Equal(UpsertOutcome.Updated, (await greenhouse.SetStageAsync(GrowthStage.FruitSet, start.AddHours(4))).Outcome);
        await greenhouse.RecordReadingsAsync([new Reading(start.AddHours(5), 18, null, "s1")]);
        var before = (await greenhouse.GetYieldAsync(null))!.ColdExposure;

        // A gateway that was offline through the last hours of flowering delivers them after the stage changed.
        IReadOnlyList<Reading> late =
        [
            new Reading(start.AddHours(2), 8, null, "s1"),
            new Reading(start.AddHours(2).AddMinutes(30), 8, null, "s1"),
            new Reading(start.AddHours(3), 12, null, "s1"),
        ];
        await greenhouse.RecordReadingsAsync(late);

        var journal = fixture.Services.GetRequiredService<IAlertJournal>();
        var alerts = (await journal.QueryAsync(new AlertQuery(AlertStateFilter.All, GreenhouseId: id))).Items.Select(r => r.Alert).ToList();
        var cold = Assert.Single(alerts, a => a.Kind == AlertKind.TemperatureBelowFloor);
        Assert.Equal((start.AddHours(2), start.AddHours(3), GrowthStage.Flowering), (cold.OpenedAt, cold.ClosedAt, cold.Stage));
        Assert.Equal(GreenhouseStatus.Ok, (await greenhouse.GetAsync())!.Status);

        // Two half-hours 2 °C under the floor, now in the flowering period's exposure (and so in the forecast's).
        var after = (await greenhouse.GetYieldAsync(null))!.ColdExposure;
        Assert.Equal(before.DegreeMinutesBelowFloor + 120, after.DegreeMinutesBelowFloor, precision: 6);

        // Sent again, they are duplicates and change nothing.
        Assert.Equal(3, (await greenhouse.RecordReadingsAsync(late))!.Duplicates);
        Assert.Single((await journal.QueryAsync(new AlertQuery(AlertStateFilter.All, GreenhouseId: id))).Items,
            r => r.Alert.Kind == AlertKind.TemperatureBelowFloor);
    }

    private async Task<long> StoredWatermarkAsync(string greenhouseId)
    {
        var storage = fixture.Services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
        var stored = new GrainState<AgriChain.Grains.Greenhouses.GreenhouseState>();
        await storage.ReadStateAsync("greenhouse", GrainId.Create("greenhouse", greenhouseId), stored);
        return stored.State?.Watermark ?? 0;
    }

    [Fact]
    public async Task GreenhousesStagedTogether_CheckForSilenceAtPointsOfThePeriodOfTheirOwn()
    {
        var since = ClusterFixture.Clock.GetUtcNow().AddHours(-1);
        var greenhouses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => FloweringGreenhouseAsync(since)));

        // The reminder table holds each greenhouse's first silence check (the period is two minutes).
        var database = fixture.Services.GetRequiredService<AgriChain.Storage.AgriChainDatabase>();
        var keys = greenhouses.Select(g => $"'greenhouse/{g.GetPrimaryKeyString()}'");
        var firstChecks = new List<DateTime>();
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT StartTime FROM OrleansRemindersTable WHERE ReminderName = 'silence' AND GrainId IN ({string.Join(", ", keys)})";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                firstChecks.Add(reader.GetDateTime(0));
            }
        }

        Assert.Equal(16, firstChecks.Count);
        Assert.True(firstChecks.Max() - firstChecks.Min() > TimeSpan.FromSeconds(20),
            $"first checks between {firstChecks.Min():O} and {firstChecks.Max():O}");
    }

    [Fact]
    public async Task ReloadingOneGreenhousesExposure_NeverLeaksIntoANewGreenhouse()
    {
        var start = ClusterFixture.Clock.GetUtcNow().AddHours(-2);
        var cold = await FloweringGreenhouseAsync(start.AddHours(-1));
        await cold.RecordReadingsAsync([new Reading(start, 8, null, "s1"), new Reading(start.AddMinutes(10), 12, null, "s1")]);
        await fixture.DeactivateAllAsync();
        Assert.Equal(20, (await cold.GetAsync())!.ColdExposure!.DegreeMinutesBelowFloor, precision: 9);

        // State is stored as JSON; a fresh greenhouse must start from its own zero, not from a shared default that a
        // deserializer filled in place.
        var fresh = await FloweringGreenhouseAsync(start.AddHours(-1));
        Assert.Equal(ColdExposure.None, (await fresh.GetAsync())!.ColdExposure);
    }

    [Fact]
    public async Task SilentGreenhouse_GetsAnAlertDatedFromWhenSilenceBegan_ClosedByTheNextReading()
    {
        var now = ClusterFixture.Clock.GetUtcNow();
        var greenhouse = await FloweringGreenhouseAsync(now.AddHours(-1));
        await greenhouse.RecordReadingsAsync([new Reading(now, 15, 60, "s1")]);

        ClusterFixture.Clock.Advance(TimeSpan.FromMinutes(20));
        await greenhouse.CheckSilenceAsync();
        Assert.Equal(GreenhouseStatus.Ok, (await greenhouse.GetAsync())!.Status);

        ClusterFixture.Clock.Advance(TimeSpan.FromMinutes(25));
        await greenhouse.CheckSilenceAsync();
        var silent = await greenhouse.GetAsync();
        Assert.Equal(GreenhouseStatus.Silent, silent!.Status);
        var alert = Assert.Single(silent.OpenAlerts!);
        Assert.Equal(AlertKind.SensorSilent, alert.Kind);
        Assert.Equal(now.AddMinutes(30), alert.OpenedAt);

        var back = await greenhouse.RecordReadingsAsync([new Reading(ClusterFixture.Clock.GetUtcNow(), 15, 60, "s1")]);
        var closed = Assert.Single(back!.ClosedAlerts);
        Assert.Equal(15, closed.MinutesOutOfRange, precision: 9);
        Assert.Equal(GreenhouseStatus.Ok, (await greenhouse.GetAsync())!.Status);
    }

    [Fact]
    public async Task DormantGreenhouse_IsNeverSilent()
    {
        var now = ClusterFixture.Clock.GetUtcNow();
        var greenhouse = await FloweringGreenhouseAsync(now.AddHours(-2));
        await greenhouse.SetStageAsync(GrowthStage.PostHarvest, now.AddHours(-1));
        ClusterFixture.Clock.Advance(TimeSpan.FromHours(3));

        await greenhouse.CheckSilenceAsync();

        Assert.Empty((await greenhouse.GetAsync())!.OpenAlerts!);
    }

    [Fact]
    public async Task StageChange_ClosesOpenAlertsAndStartsExposureAfresh()
    {
        var start = ClusterFixture.Clock.GetUtcNow().AddHours(-2);
        var greenhouse = await FloweringGreenhouseAsync(start.AddHours(-1));
        await greenhouse.RecordReadingsAsync([new Reading(start, 8, null, "s1"), new Reading(start.AddMinutes(10), 8, null, "s1")]);

        var result = await greenhouse.SetStageAsync(GrowthStage.FruitSet, start.AddMinutes(20));

        Assert.Equal(UpsertOutcome.Updated, result.Outcome);
        var view = await greenhouse.GetAsync();
        Assert.Empty(view!.OpenAlerts!);
        Assert.Equal(GrowthStage.FruitSet, view.Stage);
        Assert.Equal(ColdExposure.None, view.ColdExposure);
        var conflict = await greenhouse.SetStageAsync(GrowthStage.Budbreak, start);
        Assert.Equal(UpsertOutcome.Conflict, conflict.Outcome);
        Assert.Equal("since", conflict.Field);
    }

    [Fact]
    public async Task BackdatedStage_JudgesLaterReadingsAgainstTheNewStage()
    {
        var start = ClusterFixture.Clock.GetUtcNow().AddHours(-2);
        var greenhouse = await FloweringGreenhouseAsync(start.AddHours(-1));
        await greenhouse.RecordReadingsAsync([new Reading(start, 8, null, "s1"), new Reading(start.AddMinutes(10), 8, null, "s1")]);
        Assert.Single((await greenhouse.GetAsync())!.OpenAlerts!);

        // Dormant trees tolerate 8 °C: from the stage's start on, nothing is out of range.
        await greenhouse.SetStageAsync(GrowthStage.Dormant, start.AddMinutes(-1));

        var view = await greenhouse.GetAsync();
        Assert.Empty(view!.OpenAlerts!);
        Assert.Equal(ColdExposure.None, view.ColdExposure);
    }

    [Fact]
    public async Task EditedCropProfile_AppliesToTheNextReadings()
    {
        var crop = NewId("crop");
        var profiles = fixture.Grains.GetGrain<ICropProfileGrain>(crop);
        Assert.Null(await profiles.GetAsync());
        var stored = await profiles.PutAsync(new CropProfile(crop,
            new Dictionary<GrowthStage, StageThresholds> { [GrowthStage.Flowering] = new(12, 25, null, null) }, 1000m, 90, 30, 0));
        Assert.Equal(1, stored.Version);

        var start = ClusterFixture.Clock.GetUtcNow().AddHours(-1);
        var greenhouse = await FloweringGreenhouseAsync(start.AddHours(-1), crop);
        var result = await greenhouse.RecordReadingsAsync([new Reading(start, 11, null, "s1")]);

        Assert.Equal(12, Assert.Single(result!.OpenedAlerts).Threshold);
    }

    [Fact]
    public async Task UnknownGreenhouse_RecordsNothing()
    {
        var greenhouse = fixture.Grains.GetGrain<IGreenhouseGrain>(NewId("none"));
        Assert.Null(await greenhouse.RecordReadingsAsync([new Reading(ClusterFixture.Clock.GetUtcNow(), 12, null, "s1")]));
        Assert.Equal(UpsertOutcome.MissingReference, (await greenhouse.SetStageAsync(GrowthStage.Flowering, ClusterFixture.Clock.GetUtcNow())).Outcome);
    }
}
