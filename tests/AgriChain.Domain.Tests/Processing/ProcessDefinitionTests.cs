using AgriChain.Domain.Common;
using AgriChain.Domain.Processing;

namespace AgriChain.Domain.Tests.Processing;

public sealed class ProcessDefinitionTests
{
    private static readonly ProcessDefinition Wine = BuiltInProcessDefinitions.PersimmonWine;

    [Fact]
    public void PersimmonWine_ListsTheStepsInTheOrderOfPractice()
    {
        Assert.Equal(
        [
            "sorting-and-washing", "removing-astringency", "destemming-and-crushing", "must-adjustment", "main-fermentation",
            "pressing", "secondary-fermentation-and-aging", "fining-and-clarification", "cold-stabilisation", "filtration",
            "bottling", "sterilisation",
        ], Wine.Steps.Select(s => s.Name));
        Assert.Equal(["fining-and-clarification", "cold-stabilisation"], Wine.Steps.Where(s => !s.Required).Select(s => s.Name));
        Assert.Equal("destemming-and-crushing", Assert.Single(Wine.Steps, s => s.ConsumesInputs).Name);
        Assert.Equal(("persimmon-wine", "L", 0.5m, "persimmon", 1), (Wine.Product, Wine.OutputUnit, Wine.ExpectedYieldPerKg, Wine.InputProduct, Wine.Version));
    }

    [Fact]
    public void PersimmonWine_CarriesThePracticeRanges()
    {
        Assert.Equal(new ProcessParameter("temperatureC", "°C", 18m, 28m), Wine.Step("main-fermentation")!.Parameter("temperatureC"));
        Assert.Equal(new ProcessParameter("days", "d", 7m, 14m), Wine.Step("main-fermentation")!.Parameter("days"));
        Assert.Equal(new ProcessParameter("residualSugarGPerL", "g/L", null, 5m), Wine.Step("main-fermentation")!.Parameter("residualSugarGPerL"));
        Assert.Equal(new ProcessParameter("temperatureC", "°C", 35m, 45m), Wine.Step("removing-astringency")!.Parameter("temperatureC"));
        Assert.Equal(new ProcessParameter("so2MgPerL", "mg/L", 50m, 70m), Wine.Step("destemming-and-crushing")!.Parameter("so2MgPerL"));
        Assert.Equal(new ProcessParameter("pectinasePct", "%", 0.05m, 0.15m), Wine.Step("destemming-and-crushing")!.Parameter("pectinasePct"));
        Assert.Equal(new ProcessParameter("ph", "pH", 3.5m, 4.0m), Wine.Step("must-adjustment")!.Parameter("ph"));
        Assert.Equal(new ProcessParameter("sugarPct", "%", 18m, 22m), Wine.Step("must-adjustment")!.Parameter("sugarPct"));
        Assert.Equal(["bottleSizeL", "count"], Wine.Step("bottling")!.Parameters.Select(p => p.Name));
        Assert.Equal(new ProcessParameter("temperatureC", "°C", 62m, 68m), Wine.Step("sterilisation")!.Parameter("temperatureC"));
        Assert.Equal(new ProcessParameter("minutes", "min", 25m, 35m), Wine.Step("sterilisation")!.Parameter("minutes"));
    }

    [Fact]
    public void BuiltInDefinition_PassesItsOwnValidation()
    {
        var errors = new FieldErrors();

        ProcessRules.Validate(Wine, errors);

        Assert.True(errors.IsEmpty, string.Join("; ", errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
    }

    [Fact]
    public void Validate_NamesEveryBadField()
    {
        var bad = new ProcessDefinition("x", 0, "Wine!", "barrel", 0m, 2m, null,
        [
            new ProcessStep("Main Fermentation", true, [new ProcessParameter("Temperature", "", 30m, 20m)]),
            new ProcessStep("pressing", true, []),
            new ProcessStep("pressing", false, []),
        ]);
        var errors = new FieldErrors();

        ProcessRules.Validate(bad, errors);

        Assert.Equal(
        [
            "expectedYieldPerKg", "outputUnit", "product", "steps[0].name", "steps[0].parameters.Temperature",
            "steps[0].parameters.Temperature.min", "steps[0].parameters.Temperature.unit", "steps[2].name", "yieldTolerance",
        ], errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void SameContent_IgnoresIdAndVersionButNotABand()
    {
        var copy = Wine with { Id = "other", Version = 7, Steps = Wine.Steps.Select(s => s with { Parameters = s.Parameters.ToList() }).ToList() };
        var warmer = Wine with
        {
            Steps = Wine.Steps.Select(s => s.Name == "main-fermentation"
                ? s with { Parameters = s.Parameters.Select(p => p.Name == "temperatureC" ? p with { Max = 30m } : p).ToList() }
                : s).ToList(),
        };

        Assert.True(Wine.SameContent(copy));
        Assert.False(Wine.SameContent(warmer));
    }

    [Theory]
    [InlineData("processing-run:r1", "r1")]
    [InlineData("processing-run:r1#3", "r1")]
    [InlineData("merge-0123", null)]
    public void RunIdOf_FindsTheRunBehindAnOperation(string operationId, string? runId)
    {
        Assert.Equal(runId, ProcessingOperations.RunIdOf(operationId));
        if (runId is not null)
        {
            Assert.Equal(runId, ProcessingOperations.RunIdOf(ProcessingOperations.OperationId(runId, 2)));
        }
    }
}
