namespace AgriChain.Domain.Processing;

/// <summary>A parameter a step records, with its unit and the band it should stay in; a null bound is open.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.processing.parameter")]
public sealed record ProcessParameter(
    [property: Id(0)] string Name,
    [property: Id(1)] string Unit,
    [property: Id(2)] decimal? Min,
    [property: Id(3)] decimal? Max)
{
    /// <summary>True when <paramref name="value"/> lies inside the band (bounds included).</summary>
    public bool Allows(decimal value) => (Min is null || value >= Min) && (Max is null || value <= Max);
}

/// <summary>
/// One step of a process. Steps are recorded in the definition's order; a required step cannot be skipped.
/// <see cref="ConsumesInputs"/> marks the step from which the input product is no longer itself (crushing fruit):
/// abandoning a run after it gives nothing back to the input batches.
/// </summary>
[GenerateSerializer, Immutable, Alias("agrichain.processing.step")]
public sealed record ProcessStep(
    [property: Id(0)] string Name,
    [property: Id(1)] bool Required,
    [property: Id(2)] IReadOnlyList<ProcessParameter> Parameters,
    [property: Id(3)] bool ConsumesInputs = false)
{
    public ProcessParameter? Parameter(string name) => Parameters.FirstOrDefault(p => p.Name == name);

    public bool SameContent(ProcessStep other) =>
        Name == other.Name && Required == other.Required && ConsumesInputs == other.ConsumesInputs
        && Parameters.SequenceEqual(other.Parameters);
}

/// <summary>
/// How a product is made, as data: the steps in order, each parameter's band, what comes out and how much of it to
/// expect per kg of input. Admins edit a definition by storing a new version; a run keeps the version it started
/// with. The expectation only flags a run whose measured yield is far from it: the yield itself is always measured
/// from what the run put in and took out.
/// </summary>
[GenerateSerializer, Immutable, Alias("agrichain.processing.definition")]
public sealed record ProcessDefinition(
    [property: Id(0)] string Id,
    [property: Id(1)] int Version,
    [property: Id(2)] string Product,
    [property: Id(3)] string OutputUnit,
    [property: Id(4)] decimal ExpectedYieldPerKg,
    [property: Id(5)] decimal YieldTolerance,
    [property: Id(6)] string? InputProduct,
    [property: Id(7)] IReadOnlyList<ProcessStep> Steps)
{
    public ProcessStep? Step(string name) => Steps.FirstOrDefault(s => s.Name == name);

    public int IndexOf(string name)
    {
        for (var i = 0; i < Steps.Count; i++)
        {
            if (Steps[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Same steps, bands and expectations, whatever the id and version.</summary>
    public bool SameContent(ProcessDefinition other) =>
        Product == other.Product && OutputUnit == other.OutputUnit && ExpectedYieldPerKg == other.ExpectedYieldPerKg
        && YieldTolerance == other.YieldTolerance && InputProduct == other.InputProduct
        && Steps.Count == other.Steps.Count && Steps.Zip(other.Steps).All(p => p.First.SameContent(p.Second));
}

/// <summary>Definitions AgriChain knows without configuration.</summary>
public static class BuiltInProcessDefinitions
{
    /// <summary>
    /// Persimmon wine as Xibeizhuang makes it (the steps, their order and the figures quoted in each comment are the
    /// cooperative's practice as written in issue 6). Where the practice gives "around" a figure, the band around it
    /// is AgriChain's choice, wide enough for ordinary variation and narrow enough that a real excursion shows.
    /// </summary>
    public static readonly ProcessDefinition PersimmonWine = new(
        "persimmon-wine",
        Version: 1,
        Product: "persimmon-wine",
        OutputUnit: "L",
        // Xibeizhuang's working figure (issue 6: 900 kg of persimmons make a 450 L lot). An expectation to compare
        // runs with, never used to compute a run's output.
        ExpectedYieldPerKg: 0.5m,
        // AgriChain's choice: a run more than 20 % away from the expectation is flagged for a look.
        YieldTolerance: 0.2m,
        InputProduct: "persimmon",
        Steps:
        [
            new("sorting-and-washing", Required: true, []),
            // Practice: warm water around 40 °C for about a day.
            new("removing-astringency", Required: true,
            [
                new("temperatureC", "°C", 35m, 45m),
                new("hours", "h", 18m, 30m),
            ]),
            // Practice: crushed to a few millimetres, SO2 around 60 mg/L, pectinase around 0.1 %.
            new("destemming-and-crushing", Required: true,
            [
                new("particleSizeMm", "mm", 1m, 5m),
                new("so2MgPerL", "mg/L", 50m, 70m),
                new("pectinasePct", "%", 0.05m, 0.15m),
            ], ConsumesInputs: true),
            // Practice: sugar adjusted to around 20 %, pH about 3.5-4.0.
            new("must-adjustment", Required: true,
            [
                new("sugarPct", "%", 18m, 22m),
                new("ph", "pH", 3.5m, 4.0m),
            ]),
            // Practice: temperature held in roughly the 18-28 °C band for one to two weeks, until residual sugar is
            // below about 5 g/L.
            new("main-fermentation", Required: true,
            [
                new("temperatureC", "°C", 18m, 28m),
                new("days", "d", 7m, 14m),
                new("residualSugarGPerL", "g/L", null, 5m),
            ]),
            // The volume pressed is recorded as measured: it is where the yield shows first.
            new("pressing", Required: true,
            [
                new("wineL", "L", 0m, null),
            ]),
            new("secondary-fermentation-and-aging", Required: true,
            [
                new("days", "d", 1m, null),
            ]),
            // Fining and cold stabilisation are in the practice's order but not every lot needs them: optional.
            new("fining-and-clarification", Required: false, []),
            new("cold-stabilisation", Required: false, []),
            new("filtration", Required: true, []),
            // Practice: bottle size and count are recorded. The band is the range of common wine bottles, from the
            // 0.1875 L piccolo to the 1.5 L magnum.
            new("bottling", Required: true,
            [
                new("bottleSizeL", "L", 0.1875m, 1.5m),
                new("count", "bottle", 1m, null),
            ]),
            // Practice: around 65 °C for about 30 minutes.
            new("sterilisation", Required: true,
            [
                new("temperatureC", "°C", 62m, 68m),
                new("minutes", "min", 25m, 35m),
            ]),
        ]);

    private static readonly Dictionary<string, ProcessDefinition> ById = new(StringComparer.Ordinal)
    {
        [PersimmonWine.Id] = PersimmonWine,
    };

    public static ProcessDefinition? Find(string id) => ById.GetValueOrDefault(id);
}
