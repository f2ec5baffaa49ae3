using AgriChain.Domain.Common;
using AgriChain.Domain.Processing;

namespace AgriChain.Domain.Tests.Processing;

public sealed class StepOrderTests
{
    private static readonly ProcessDefinition Wine = BuiltInProcessDefinitions.PersimmonWine;

    private static readonly string[] UpToPressing =
        ["sorting-and-washing", "removing-astringency", "destemming-and-crushing", "must-adjustment", "main-fermentation", "pressing"];

    [Fact]
    public void FirstStep_IsInOrderOnAFreshRun()
    {
        Assert.True(ProcessRules.CheckOrder(Wine, [], "sorting-and-washing").InOrder);
    }

    [Fact]
    public void SkippingRequiredSteps_NamesEveryMissingOne()
    {
        var order = ProcessRules.CheckOrder(Wine, ["sorting-and-washing"], "main-fermentation");

        Assert.False(order.InOrder);
        Assert.Equal(["removing-astringency", "destemming-and-crushing", "must-adjustment"], order.MissingRequired);
        Assert.Null(order.RecordedAfter);
    }

    [Fact]
    public void OptionalSteps_MayBeSkipped()
    {
        var order = ProcessRules.CheckOrder(Wine, [.. UpToPressing, "secondary-fermentation-and-aging"], "filtration");

        Assert.True(order.InOrder);
    }

    [Fact]
    public void AnOptionalStepPassedOver_CannotBeRecordedAfterALaterStep()
    {
        var order = ProcessRules.CheckOrder(Wine, [.. UpToPressing, "secondary-fermentation-and-aging", "filtration"], "cold-stabilisation");

        Assert.False(order.InOrder);
        Assert.Empty(order.MissingRequired);
        Assert.Equal("filtration", order.RecordedAfter);
    }

    [Fact]
    public void Completion_NeedsEveryRequiredStepButNoOptionalOne()
    {
        var required = Wine.Steps.Where(s => s.Required).Select(s => s.Name).ToList();

        Assert.Empty(ProcessRules.MissingForCompletion(Wine, required));
        Assert.Equal(["bottling", "sterilisation"], ProcessRules.MissingForCompletion(Wine, required.Take(required.Count - 2)));
    }

    [Fact]
    public void InputsAreWorked_FromTheConsumingStepOn()
    {
        Assert.False(ProcessRules.InputsWorked(Wine, []));
        Assert.False(ProcessRules.InputsWorked(Wine, ["sorting-and-washing", "removing-astringency"]));
        Assert.True(ProcessRules.InputsWorked(Wine, ["sorting-and-washing", "removing-astringency", "destemming-and-crushing"]));
        Assert.False(ProcessRules.InputsWorked(Wine with { Steps = Wine.Steps.Select(s => s with { ConsumesInputs = false }).ToList() }, UpToPressing));
    }

    [Fact]
    public void Parameters_MayBeLeftOut_UnknownOnesAreRefused_AndAnsweredInDefinitionOrder()
    {
        var step = Wine.Step("main-fermentation")!;
        var errors = new FieldErrors();

        var values = ProcessRules.ValidateParameters(step,
            [new ParameterValue("residualSugarGPerL", 3m), new ParameterValue("temperatureC", 22m), new ParameterValue("colour", 1m)], errors);

        Assert.Equal(["parameters.colour"], errors.ToDictionary().Keys);
        Assert.Equal(["temperatureC", "residualSugarGPerL"], values.Select(v => v.Name));
    }

    [Fact]
    public void AStepWithoutParameters_TakesNone()
    {
        var errors = new FieldErrors();

        var values = ProcessRules.ValidateParameters(Wine.Step("filtration")!, [], errors);

        Assert.True(errors.IsEmpty);
        Assert.Empty(values);
    }
}
