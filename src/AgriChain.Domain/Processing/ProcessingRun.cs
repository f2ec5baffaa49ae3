using System.Globalization;

namespace AgriChain.Domain.Processing;

/// <summary>Where a processing run is.</summary>
[GenerateSerializer]
public enum RunStatus
{
    /// <summary>Taking its inputs; becomes in-progress, or disappears when an input falls short.</summary>
    Starting = 0,

    /// <summary>Inputs taken; steps are being recorded.</summary>
    InProgress = 1,

    /// <summary>Creating its outputs; only forward from here.</summary>
    Completing = 2,

    Completed = 3,

    /// <summary>Being abandoned: giving back inputs that were not yet worked.</summary>
    Abandoning = 4,

    Abandoned = 5,
}

/// <summary>A measured value of a step parameter.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.processing.parameter-value")]
public sealed record ParameterValue(
    [property: Id(0)] string Name,
    [property: Id(1)] decimal Value);

/// <summary>Which side of its band a value fell on.</summary>
[GenerateSerializer]
public enum DeviationDirection
{
    Below = 0,
    Above = 1,
}

/// <summary>A parameter recorded outside its band: what it was, the band, and by how much it missed.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.processing.deviation")]
public sealed record Deviation(
    [property: Id(0)] string Step,
    [property: Id(1)] string Parameter,
    [property: Id(2)] decimal Value,
    [property: Id(3)] string Unit,
    [property: Id(4)] decimal? Min,
    [property: Id(5)] decimal? Max,
    [property: Id(6)] DeviationDirection Direction,
    [property: Id(7)] decimal By)
{
    /// <summary>One line for people: <c>main-fermentation: temperatureC 36 °C is 8 above the maximum 28</c>.</summary>
    public string Describe() => Direction == DeviationDirection.Above
        ? string.Create(CultureInfo.InvariantCulture, $"{Step}: {Parameter} {Value} {Unit} is {By} above the maximum {Max}")
        : string.Create(CultureInfo.InvariantCulture, $"{Step}: {Parameter} {Value} {Unit} is {By} below the minimum {Min}");
}

/// <summary>A step as it was recorded in a run, with the deviations found in it.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.processing.recorded-step")]
public sealed record RecordedStep(
    [property: Id(0)] string Step,
    [property: Id(1)] DateTimeOffset StartedAt,
    [property: Id(2)] DateTimeOffset EndedAt,
    [property: Id(3)] IReadOnlyList<ParameterValue> Parameters,
    [property: Id(4)] IReadOnlyList<Deviation> Deviations,
    [property: Id(5)] DateTimeOffset RecordedAt,
    [property: Id(6)] string RecordedBy)
{
    /// <summary>The same step, times and values (who recorded it and when aside): a repeated request.</summary>
    public bool SameAs(string step, DateTimeOffset startedAt, DateTimeOffset endedAt, IReadOnlyList<ParameterValue> parameters) =>
        Step == step && StartedAt == startedAt && EndedAt == endedAt && Parameters.SequenceEqual(parameters);
}

/// <summary>
/// A hold on a run's outputs, put by a deviation and lifted only by someone releasing it with a reason. A run that
/// is held when it completes creates its outputs on hold.
/// </summary>
[GenerateSerializer, Immutable, Alias("agrichain.processing.run-hold")]
public sealed record RunHold(
    [property: Id(0)] string Id,
    [property: Id(1)] DateTimeOffset Since,
    [property: Id(2)] string Reason,
    [property: Id(3)] DateTimeOffset? ReleasedAt = null,
    [property: Id(4)] string? ReleasedBy = null,
    [property: Id(5)] string? ReleaseReason = null)
{
    public bool IsActive => ReleasedAt is null;
}

/// <summary>A run's measured yield: output of the definition's product per kg of input, against the expectation.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.processing.yield")]
public sealed record YieldMeasurement(
    [property: Id(0)] decimal InputKg,
    [property: Id(1)] decimal OutputQuantity,
    [property: Id(2)] string OutputUnit,
    [property: Id(3)] decimal Ratio,
    [property: Id(4)] decimal Expected,
    [property: Id(5)] bool Flagged);

/// <summary>The operation ids processing runs use on batches, so a batch's lineage leads back to its run.</summary>
public static class ProcessingOperations
{
    public const string Prefix = "processing-run:";

    /// <summary>The mass-balance operation of a run's <paramref name="attempt"/>-th start (a refused start is retried under a new one).</summary>
    public static string OperationId(string runId, int attempt) =>
        attempt <= 1 ? $"{Prefix}{runId}" : $"{Prefix}{runId}#{attempt}";

    /// <summary>The run behind an operation id, or null when another kind of operation made it.</summary>
    public static string? RunIdOf(string operationId)
    {
        if (!operationId.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = operationId[Prefix.Length..];
        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? rest : rest[..hash];
    }
}
