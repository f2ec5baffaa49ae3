using AgriChain.Benchmarks.Infrastructure;

namespace AgriChain.Benchmarks.Reporting;

/// <summary>
/// One scenario's outcome. <see cref="Value"/> and <see cref="Baseline"/> are medians over the alternating rounds and
/// <see cref="Ratio"/> is the median of the per-round ratios (so it need not equal Value / Baseline).
/// A scenario that could not run has a null value and is not met.
/// </summary>
internal sealed record ScenarioResult
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Metric { get; init; }

    public required string Unit { get; init; }

    public double? Value { get; init; }

    public double? Baseline { get; init; }

    public double? Ratio { get; init; }

    public required string Target { get; init; }

    public double? P50Ms { get; init; }

    public double? P99Ms { get; init; }

    public bool Met { get; init; }

    /// <summary>What the baseline is, in a sentence.</summary>
    public required string BaselineDescription { get; init; }

    /// <summary>How the ratio is formed (AgriChain / baseline, or the reverse for latencies).</summary>
    public string RatioRule { get; init; } = "AgriChain / baseline, median of the rounds";

    public double? BaselineP50Ms { get; init; }

    public double? BaselineP99Ms { get; init; }

    public IReadOnlyList<RoundResult> Rounds { get; init; } = [];

    public IReadOnlyList<ResourceUse> Resources { get; init; } = [];

    public IReadOnlyList<string> Notes { get; init; } = [];

    public static ScenarioResult NotMeasured(string id, string name, string metric, string unit, string target, string reason, string baseline) => new()
    {
        Id = id,
        Name = name,
        Metric = metric,
        Unit = unit,
        Target = target,
        BaselineDescription = baseline,
        Met = false,
        Notes = [$"not measured: {reason}"],
    };
}

/// <summary>One alternation: AgriChain's figure, the baseline's, and their ratio.</summary>
internal sealed record RoundResult(int Round, double Value, double Baseline, double Ratio);
