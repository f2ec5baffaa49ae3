using AgriChain.Contracts.Processing;
using AgriChain.Domain.Processing;

namespace AgriChain.Grains.Tests.Processing;

/// <summary>The steps of a persimmon-wine run with values inside every band, as a cooperative would record them.</summary>
internal static class RunSteps
{
    public static readonly DateTimeOffset Day0 = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    public static IReadOnlyList<(string Step, (string Name, decimal Value)[] Values)> PersimmonWine(decimal fermentationC = 22m) =>
    [
        ("sorting-and-washing", []),
        ("removing-astringency", [("temperatureC", 40m), ("hours", 24m)]),
        ("destemming-and-crushing", [("particleSizeMm", 3m), ("so2MgPerL", 60m), ("pectinasePct", 0.1m)]),
        ("must-adjustment", [("sugarPct", 20m), ("ph", 3.8m)]),
        ("main-fermentation", [("temperatureC", fermentationC), ("days", 12m), ("residualSugarGPerL", 3m)]),
        ("pressing", [("wineL", 480m)]),
        ("secondary-fermentation-and-aging", [("days", 30m)]),
        ("fining-and-clarification", []),
        ("cold-stabilisation", []),
        ("filtration", []),
        ("bottling", [("bottleSizeL", 0.5m), ("count", 900m)]),
        ("sterilisation", [("temperatureC", 65m), ("minutes", 30m)]),
    ];

    public static StepEntry Entry(int index, string step, (string Name, decimal Value)[] values) =>
        new(step, Day0.AddDays(index), Day0.AddDays(index).AddHours(6), values.Select(v => new ParameterValue(v.Name, v.Value)).ToList(), "test");

    /// <summary>Records the steps from <paramref name="from"/> up to (not including) <paramref name="until"/>.</summary>
    public static async Task RecordAsync(IProcessingRunGrain run, decimal fermentationC = 22m, int from = 0, int until = int.MaxValue)
    {
        var steps = PersimmonWine(fermentationC);
        for (var i = from; i < Math.Min(until, steps.Count); i++)
        {
            var result = await run.RecordStepAsync(Entry(i, steps[i].Step, steps[i].Values));
            Assert.True(result.Outcome == RunOutcome.Done, $"{steps[i].Step}: {result.Outcome} {result.Detail}");
        }
    }
}
