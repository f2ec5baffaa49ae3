using AgriChain.Domain.Greenhouses;

namespace AgriChain.Domain.Tests;

public sealed class ConditionEvaluatorTests
{
    private static readonly DateTimeOffset Night = new(2026, 3, 10, 18, 0, 0, TimeSpan.Zero);
    private static readonly StageThresholds Flowering = BuiltInCropProfiles.Nectarine.For(GrowthStage.Flowering);
    private static readonly TimeSpan MaxHold = TimeSpan.FromMinutes(30);

    private static List<(AlertChange Change, Alert Alert)> Run(ConditionState state, params (int Minute, double T)[] readings) =>
        readings.SelectMany(r => ConditionEvaluator.Apply(state, "gh-7", GrowthStage.Flowering, Flowering,
            new Reading(Night.AddMinutes(r.Minute), r.T, null, "s1"), MaxHold)).ToList();

    [Fact]
    public void ThirtyColdMinutesBetweenWarmReadings_MakeOneClosedAlertOf30MinutesAnd45DegreeMinutes()
    {
        var state = new ConditionState();
        var readings = new List<(int, double)> { (0, 12) };
        readings.AddRange(Enumerable.Range(1, 30).Select(m => (m, 8.5)));
        readings.Add((31, 11));

        var changes = Run(state, [.. readings]);

        Assert.Equal(2, changes.Count);
        Assert.Equal(AlertChange.Opened, changes[0].Change);
        var closed = changes[1].Alert;
        Assert.Equal(AlertChange.Closed, changes[1].Change);
        Assert.Equal(AlertKind.TemperatureBelowFloor, closed.Kind);
        Assert.Equal(Night.AddMinutes(1), closed.OpenedAt);
        Assert.Equal(Night.AddMinutes(31), closed.ClosedAt);
        Assert.Equal(30, closed.MinutesOutOfRange, precision: 9);
        Assert.Equal(45, closed.DegreeMinutes, precision: 9);
        Assert.Equal(8.5, closed.WorstValue);
        Assert.Equal(10, closed.Threshold);
        Assert.Equal(new ColdExposure(30, 45), Round(state.StageExposure));
        Assert.Empty(state.OpenAlerts);
    }

    [Fact]
    public void ReadingExactlyAtTheFloor_IsNotBelowIt()
    {
        var state = new ConditionState();
        Assert.Empty(Run(state, (0, 10.0), (1, 10.0), (2, 10.0)));
        Assert.Equal(ColdExposure.None, state.StageExposure);
    }

    [Fact]
    public void ReadingJustBelowTheFloor_OpensAnAlert()
    {
        var state = new ConditionState();
        var changes = Run(state, (0, 9.99));
        Assert.Equal(AlertChange.Opened, Assert.Single(changes).Change);
        Assert.True(state.OpenAlerts.ContainsKey(AlertKind.TemperatureBelowFloor));
    }

    [Fact]
    public void FlappingAroundTheFloor_KeepsOneOpenAlertPerKind()
    {
        var state = new ConditionState();
        Run(state, (0, 9), (1, 8), (2, 7.5), (3, 9.9));
        Assert.Single(state.OpenAlerts);
        Assert.Equal(7.5, state.OpenAlerts[AlertKind.TemperatureBelowFloor].WorstValue);
    }

    [Fact]
    public void LongGap_CountsAtMostTheMaximumHold()
    {
        var state = new ConditionState();
        Run(state, (0, 9), (600, 12));
        Assert.Equal(new ColdExposure(30, 30), Round(state.StageExposure));
    }

    [Fact]
    public void CeilingAndHumidity_OpenTheirOwnAlerts()
    {
        var state = new ConditionState();
        var changes = ConditionEvaluator.Apply(state, "gh", GrowthStage.Flowering, Flowering,
            new Reading(Night, 27, 80, "s1"), MaxHold);

        Assert.Equal([AlertKind.TemperatureAboveCeiling, AlertKind.HumidityOutOfRange], changes.Select(c => c.Alert.Kind));
        Assert.Equal(70, changes[1].Alert.Threshold);

        var back = ConditionEvaluator.Apply(state, "gh", GrowthStage.Flowering, Flowering,
            new Reading(Night.AddMinutes(10), 24, 60, "s1"), MaxHold);
        Assert.All(back, c => Assert.Equal(AlertChange.Closed, c.Change));
        Assert.Equal(20, back.Single(c => c.Alert.Kind == AlertKind.TemperatureAboveCeiling).Alert.DegreeMinutes, precision: 9);
        Assert.Equal(100, back.Single(c => c.Alert.Kind == AlertKind.HumidityOutOfRange).Alert.DegreeMinutes, precision: 9);
    }

    [Fact]
    public void Silence_OpensFromTheMomentItBeganAndClosesOnTheNextReading()
    {
        var state = new ConditionState();
        Run(state, (0, 12));
        var silentAfter = TimeSpan.FromMinutes(30);

        Assert.Null(ConditionEvaluator.CheckSilence(state, "gh-7", GrowthStage.Flowering, Night, Night.AddMinutes(29), silentAfter));
        var opened = ConditionEvaluator.CheckSilence(state, "gh-7", GrowthStage.Flowering, Night, Night.AddMinutes(47), silentAfter);
        Assert.NotNull(opened);
        Assert.Equal(Night.AddMinutes(30), opened.OpenedAt);
        Assert.Null(ConditionEvaluator.CheckSilence(state, "gh-7", GrowthStage.Flowering, Night, Night.AddMinutes(60), silentAfter));

        var changes = Run(state, (90, 12));
        var closed = Assert.Single(changes);
        Assert.Equal(AlertKind.SensorSilent, closed.Alert.Kind);
        Assert.Equal(60, closed.Alert.MinutesOutOfRange, precision: 9);
    }

    [Fact]
    public void StageChange_ClosesThresholdAlertsAndResetsExposure()
    {
        var state = new ConditionState();
        Run(state, (0, 8), (10, 8));
        var changes = ConditionEvaluator.ChangeStage(state, Night.AddMinutes(15));
        Assert.Equal(Night.AddMinutes(15), Assert.Single(changes).Alert.ClosedAt);
        Assert.Equal(ColdExposure.None, state.StageExposure);
    }

    [Fact]
    public void AlertIds_AreStableAndDistinct()
    {
        var a = ConditionEvaluator.AlertId("gh-7", AlertKind.TemperatureBelowFloor, Night);
        Assert.Equal(a, ConditionEvaluator.AlertId("gh-7", AlertKind.TemperatureBelowFloor, Night));
        Assert.NotEqual(a, ConditionEvaluator.AlertId("gh-7", AlertKind.TemperatureAboveCeiling, Night));
        Assert.NotEqual(a, ConditionEvaluator.AlertId("gh-8", AlertKind.TemperatureBelowFloor, Night));
        Assert.Matches("^al-[0-9a-f]{24}$", a);
    }

    [Fact]
    public void NectarineProfile_HasTheFloorAndTarget()
    {
        var nectarine = BuiltInCropProfiles.Find("nectarine")!;
        Assert.Equal(10, nectarine.For(GrowthStage.Flowering).MinTemperatureC);
        Assert.Equal(25, nectarine.For(GrowthStage.Flowering).MaxTemperatureC);
        Assert.Equal((50, 70), (nectarine.For(GrowthStage.Flowering).MinHumidityPct, nectarine.For(GrowthStage.Flowering).MaxHumidityPct));
        Assert.Equal(1500m, nectarine.TargetYieldKgPerMu);
        Assert.Equal(100, nectarine.DaysBloomToHarvest);
        Assert.Equal(8, nectarine.Stages.Count);
        Assert.Null(BuiltInCropProfiles.Find("durian"));
    }

    private static ColdExposure Round(ColdExposure e) => new(Math.Round(e.MinutesBelowFloor, 9), Math.Round(e.DegreeMinutesBelowFloor, 9));
}
