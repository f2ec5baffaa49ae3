using System.Security.Cryptography;
using System.Text;

namespace AgriChain.Domain.Greenhouses;

/// <summary>The most recent reading of a greenhouse.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.latest-reading")]
public sealed record LatestReading(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] double TemperatureC,
    [property: Id(2)] double? HumidityPct,
    [property: Id(3)] string SensorId);

/// <summary>Time spent below the floor and how far below, over a stage.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.cold-exposure")]
public sealed record ColdExposure(
    [property: Id(0)] double MinutesBelowFloor,
    [property: Id(1)] double DegreeMinutesBelowFloor)
{
    /// <summary>
    /// No exposure. A fresh instance each time: grain state is stored as JSON, and a deserializer that fills existing
    /// objects in place must never be handed a shared one.
    /// </summary>
    public static ColdExposure None => new(0, 0);

    public ColdExposure Add(double minutes, double degreeMinutes) =>
        new(MinutesBelowFloor + minutes, DegreeMinutesBelowFloor + degreeMinutes);
}

/// <summary>
/// The running evaluation of one greenhouse's readings within its current stage: the latest reading, the open
/// alerts and the stage's cold exposure. Readings must be applied in time order.
/// </summary>
[GenerateSerializer, Alias("agrichain.condition-state")]
public sealed class ConditionState
{
    [Id(0)] public LatestReading? Latest { get; set; }
    [Id(1)] public Dictionary<AlertKind, Alert> OpenAlerts { get; set; } = [];
    [Id(2)] public ColdExposure StageExposure { get; set; } = ColdExposure.None;

    /// <summary>Minutes of the stage between 0 and 7.2 °C (the chilling-hours model); counted while dormant.</summary>
    [Id(3)] public double ChillMinutes { get; set; }
}

/// <summary>
/// The 10 °C rule and its kin as arithmetic. Each reading holds until the next one (at most
/// <c>maxHold</c>, so a gap in the data does not count as hours of cold): a reading below the floor adds its
/// hold to the minutes below the floor, and hold × (floor − temperature) to the degree-minutes. An alert opens on
/// the first reading past a threshold and closes on the first reading back inside it; a reading exactly at the
/// threshold is inside.
/// </summary>
public static class ConditionEvaluator
{
    /// <summary>The chilling-hours band: an hour between 0 and 7.2 °C counts toward the dormancy requirement.</summary>
    public const double ChillFloorC = 0;

    /// <inheritdoc cref="ChillFloorC"/>
    public const double ChillCeilingC = 7.2;

    /// <summary>Applies one reading and returns the alert changes it caused.</summary>
    public static IReadOnlyList<(AlertChange Change, Alert Alert)> Apply(ConditionState state, string greenhouseId,
        GrowthStage? stage, StageThresholds thresholds, Reading reading, TimeSpan maxHold)
    {
        var changes = new List<(AlertChange, Alert)>();
        Apply(state, greenhouseId, stage, thresholds, reading, maxHold, changes);
        return changes;
    }

    /// <summary>Applies one reading and adds the alert changes it caused to <paramref name="changes"/>.</summary>
    public static void Apply(ConditionState state, string greenhouseId, GrowthStage? stage, StageThresholds thresholds,
        Reading reading, TimeSpan maxHold, List<(AlertChange Change, Alert Alert)> changes)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(reading);
        ArgumentNullException.ThrowIfNull(changes);
        if (state.Latest is { } previous && reading.At > previous.At)
        {
            var hold = Min(reading.At - previous.At, maxHold).TotalMinutes;
            Accrue(state, thresholds, previous, hold);
            if (stage == GrowthStage.Dormant && previous.TemperatureC is >= ChillFloorC and <= ChillCeilingC)
            {
                state.ChillMinutes += hold;
            }
        }

        if (state.OpenAlerts.Remove(AlertKind.SensorSilent, out var silent))
        {
            var closed = silent with
            {
                ClosedAt = reading.At,
                MinutesOutOfRange = Math.Max(0, (reading.At - silent.OpenedAt).TotalMinutes),
            };
            changes.Add((AlertChange.Closed, closed));
        }

        Evaluate(state, greenhouseId, stage, reading, AlertKind.TemperatureBelowFloor, thresholds.MinTemperatureC,
            reading.TemperatureC < thresholds.MinTemperatureC, reading.TemperatureC, worseIsLower: true, changes);
        Evaluate(state, greenhouseId, stage, reading, AlertKind.TemperatureAboveCeiling, thresholds.MaxTemperatureC,
            reading.TemperatureC > thresholds.MaxTemperatureC, reading.TemperatureC, worseIsLower: false, changes);
        if (reading.HumidityPct is { } humidity)
        {
            var low = humidity < thresholds.MinHumidityPct;
            var high = humidity > thresholds.MaxHumidityPct;
            Evaluate(state, greenhouseId, stage, reading, AlertKind.HumidityOutOfRange,
                low ? thresholds.MinHumidityPct : thresholds.MaxHumidityPct, low || high, humidity, worseIsLower: low, changes);
        }

        state.Latest = new LatestReading(reading.At, reading.TemperatureC, reading.HumidityPct, reading.SensorId);
    }

    /// <summary>
    /// Opens a sensor-silent alert when nothing arrived for <paramref name="silentAfter"/> up to <paramref name="now"/>,
    /// dated from the moment the greenhouse fell silent. Returns the opened alert, or null.
    /// </summary>
    public static Alert? CheckSilence(ConditionState state, string greenhouseId, GrowthStage? stage,
        DateTimeOffset lastHeard, DateTimeOffset now, TimeSpan silentAfter)
    {
        if (state.OpenAlerts.ContainsKey(AlertKind.SensorSilent) || now - lastHeard < silentAfter)
        {
            return null;
        }

        var openedAt = lastHeard + silentAfter;
        var alert = new Alert(AlertId(greenhouseId, AlertKind.SensorSilent, openedAt), greenhouseId, AlertKind.SensorSilent,
            stage, silentAfter.TotalMinutes, openedAt, null, null, 0, 0, null, null, null);
        state.OpenAlerts[AlertKind.SensorSilent] = alert;
        return alert;
    }

    /// <summary>
    /// Closes every threshold alert at a stage change (the new stage has other thresholds; the next reading opens
    /// fresh alerts where needed) and starts the new stage's exposure at zero.
    /// </summary>
    public static IReadOnlyList<(AlertChange Change, Alert Alert)> ChangeStage(ConditionState state, DateTimeOffset at)
    {
        var changes = new List<(AlertChange, Alert)>();
        foreach (var kind in state.OpenAlerts.Keys.Where(k => k != AlertKind.SensorSilent).ToList())
        {
            state.OpenAlerts.Remove(kind, out var alert);
            changes.Add((AlertChange.Closed, alert! with { ClosedAt = at }));
        }

        state.StageExposure = ColdExposure.None;
        state.ChillMinutes = 0;
        return changes;
    }

    /// <summary>A stable id for the alert of this kind opened at this instant: re-evaluation yields the same id.</summary>
    public static string AlertId(string greenhouseId, AlertKind kind, DateTimeOffset openedAt)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{greenhouseId}|{kind}|{openedAt.UtcTicks}"));
        return "al-" + Convert.ToHexStringLower(digest)[..24];
    }

    private static void Accrue(ConditionState state, StageThresholds thresholds, LatestReading previous, double minutes)
    {
        if (previous.TemperatureC < thresholds.MinTemperatureC)
        {
            var deficit = thresholds.MinTemperatureC.Value - previous.TemperatureC;
            state.StageExposure = state.StageExposure.Add(minutes, deficit * minutes);
            Grow(state, AlertKind.TemperatureBelowFloor, minutes, deficit);
        }

        if (previous.TemperatureC > thresholds.MaxTemperatureC)
        {
            Grow(state, AlertKind.TemperatureAboveCeiling, minutes, previous.TemperatureC - thresholds.MaxTemperatureC.Value);
        }

        if (previous.HumidityPct is { } humidity)
        {
            var off = humidity < thresholds.MinHumidityPct ? thresholds.MinHumidityPct.Value - humidity
                : humidity > thresholds.MaxHumidityPct ? humidity - thresholds.MaxHumidityPct.Value
                : 0;
            if (off > 0)
            {
                Grow(state, AlertKind.HumidityOutOfRange, minutes, off);
            }
        }
    }

    private static void Grow(ConditionState state, AlertKind kind, double minutes, double deviation)
    {
        if (state.OpenAlerts.TryGetValue(kind, out var alert))
        {
            state.OpenAlerts[kind] = alert with
            {
                MinutesOutOfRange = alert.MinutesOutOfRange + minutes,
                DegreeMinutes = alert.DegreeMinutes + (deviation * minutes),
            };
        }
    }

    private static void Evaluate(ConditionState state, string greenhouseId, GrowthStage? stage, Reading reading,
        AlertKind kind, double? threshold, bool outside, double value, bool worseIsLower,
        List<(AlertChange Change, Alert Alert)> changes)
    {
        var isOpen = state.OpenAlerts.TryGetValue(kind, out var alert);
        if (outside && !isOpen)
        {
            alert = new Alert(AlertId(greenhouseId, kind, reading.At), greenhouseId, kind, stage, threshold, reading.At,
                null, value, 0, 0, null, null, null);
            state.OpenAlerts[kind] = alert;
            changes.Add((AlertChange.Opened, alert));
        }
        else if (outside)
        {
            var worse = worseIsLower ? value < alert!.WorstValue : value > alert!.WorstValue;
            if (worse)
            {
                state.OpenAlerts[kind] = alert with { WorstValue = value };
            }
        }
        else if (isOpen)
        {
            state.OpenAlerts.Remove(kind);
            changes.Add((AlertChange.Closed, alert! with { ClosedAt = reading.At }));
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
