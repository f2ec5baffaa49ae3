using AgriChain.Domain.Processing;

namespace AgriChain.Domain.Tests.Processing;

public sealed class DeviationAndYieldTests
{
    private static readonly ProcessDefinition Wine = BuiltInProcessDefinitions.PersimmonWine;

    private static IReadOnlyList<Deviation> Fermentation(decimal temperatureC, decimal days = 10m, decimal residualSugar = 3m) =>
        ProcessRules.FindDeviations(Wine.Step("main-fermentation")!,
            [new ParameterValue("temperatureC", temperatureC), new ParameterValue("days", days), new ParameterValue("residualSugarGPerL", residualSugar)]);

    [Fact]
    public void FermentationEightDegreesOverItsMaximum_IsADeviationAboveByEight()
    {
        var deviation = Assert.Single(Fermentation(36m));

        Assert.Equal(new Deviation("main-fermentation", "temperatureC", 36m, "°C", 18m, 28m, DeviationDirection.Above, 8m), deviation);
        Assert.Equal("main-fermentation: temperatureC 36 °C is 8 above the maximum 28", deviation.Describe());
    }

    [Theory]
    [InlineData(18)]
    [InlineData(28)]
    [InlineData(22.5)]
    public void ValuesOnOrInsideTheBand_AreNoDeviation(double temperatureC)
    {
        Assert.Empty(Fermentation((decimal)temperatureC));
    }

    [Fact]
    public void BelowTheMinimum_AndAnOpenBound_AreJudgedSeparately()
    {
        var deviations = Fermentation(15m, days: 20m, residualSugar: 0m);

        Assert.Equal(
            [("temperatureC", DeviationDirection.Below, 3m), ("days", DeviationDirection.Above, 6m)],
            deviations.Select(d => (d.Parameter, d.Direction, d.By)));
    }

    [Fact]
    public void Yield_IsMeasuredFromTheOutputsOfTheDefinitionsProduct()
    {
        var yield = ProcessRules.MeasureYield(Wine, 900m, [("persimmon-wine", 450m, "L"), ("pomace", 200m, "kg")]);

        Assert.Equal(new YieldMeasurement(900m, 450m, "L", 0.5m, 0.5m, false), yield);
    }

    [Theory]
    [InlineData(360, false)]
    [InlineData(540, false)]
    [InlineData(350, true)]
    [InlineData(600, true)]
    public void Yield_IsFlaggedWhenFurtherFromTheExpectationThanTheTolerance(int litres, bool flagged)
    {
        Assert.Equal(flagged, ProcessRules.MeasureYield(Wine, 900m, [("persimmon-wine", litres, "L")]).Flagged);
    }

    [Fact]
    public void Tonnes_CountAsKilograms_AndVolumesAreNoMass()
    {
        Assert.Equal(900m, ProcessRules.ToKg(0.9m, "t"));
        Assert.Equal(900m, ProcessRules.ToKg(900m, "kg"));
        Assert.Null(ProcessRules.ToKg(900m, "L"));
    }
}
