namespace AgriChain.Domain.Greenhouses;

/// <summary>One measurement of a greenhouse's air: when, temperature, optional humidity, and which sensor.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.reading")]
public sealed record Reading(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] double TemperatureC,
    [property: Id(2)] double? HumidityPct,
    [property: Id(3)] string SensorId)
{
    /// <summary>The sensor id of readings logged by hand or sent without one.</summary>
    public const string ManualSensor = "manual";
}

/// <summary>A reading as stored: with the store's sequence number, which orders appends per greenhouse.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.stored-reading")]
public sealed record StoredReading(
    [property: Id(0)] long Sequence,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] double TemperatureC,
    [property: Id(3)] double? HumidityPct,
    [property: Id(4)] string SensorId)
{
    public Reading ToReading() => new(At, TemperatureC, HumidityPct, SensorId);
}

/// <summary>Min, average and max of one quantity over a bucket; null when no reading in it had the quantity.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.aggregate")]
public sealed record Aggregate(
    [property: Id(0)] double Min,
    [property: Id(1)] double Avg,
    [property: Id(2)] double Max);

/// <summary>Readings of one greenhouse summarised over [Start, Start + bucket width).</summary>
[GenerateSerializer, Immutable, Alias("agrichain.reading-bucket")]
public sealed record ReadingBucket(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] int Count,
    [property: Id(2)] Aggregate TemperatureC,
    [property: Id(3)] Aggregate? HumidityPct);

/// <summary>Bucket widths of the history API.</summary>
[GenerateSerializer]
public enum BucketWidth
{
    Raw = 0,
    Minute = 1,
    Hour = 2,
    Day = 3,
}
