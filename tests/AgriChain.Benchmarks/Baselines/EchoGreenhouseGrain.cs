using AgriChain.Domain.Greenhouses;

namespace AgriChain.Benchmarks.Baselines;

/// <summary>
/// A greenhouse that keeps its conditions in memory only: the sensor-ingest baseline's stand-in for AgriChain's
/// greenhouse grain with storage switched off. It judges each reading with the same Domain code
/// (<see cref="ConditionEvaluator.Apply"/> against nectarine's flowering thresholds) and stores nothing.
/// </summary>
[Alias("agrichain.benchmarks.echo-greenhouse")]
public interface IEchoGreenhouseGrain : IGrainWithStringKey
{
    [Alias("exists")]
    Task<bool> ExistsAsync();

    [Alias("record")]
    Task<EchoIngestResult> RecordAsync(IReadOnlyList<Reading> readings);
}

[GenerateSerializer, Immutable, Alias("agrichain.benchmarks.echo-ingest-result")]
public sealed record EchoIngestResult(
    [property: Id(0)] int Accepted,
    [property: Id(1)] int OpenedAlerts,
    [property: Id(2)] int ClosedAlerts);

internal sealed class EchoGreenhouseGrain : Grain, IEchoGreenhouseGrain
{
    private static readonly StageThresholds Flowering = BuiltInCropProfiles.Nectarine.For(GrowthStage.Flowering);
    private static readonly TimeSpan MaxHold = TimeSpan.FromMinutes(30);
    private readonly ConditionState _conditions = new();

    public Task<bool> ExistsAsync() => Task.FromResult(true);

    public Task<EchoIngestResult> RecordAsync(IReadOnlyList<Reading> readings)
    {
        var opened = 0;
        var closed = 0;
        foreach (var reading in readings.OrderBy(r => r.At))
        {
            foreach (var (change, _) in ConditionEvaluator.Apply(_conditions, this.GetPrimaryKeyString(), GrowthStage.Flowering, Flowering, reading, MaxHold))
            {
                opened += change == AlertChange.Opened ? 1 : 0;
                closed += change == AlertChange.Closed ? 1 : 0;
            }
        }

        return Task.FromResult(new EchoIngestResult(readings.Count, opened, closed));
    }
}
