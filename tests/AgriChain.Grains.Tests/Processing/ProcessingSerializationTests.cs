using AgriChain.Contracts.Processing;
using AgriChain.Contracts.Traceability;
using AgriChain.Domain.Processing;
using AgriChain.Domain.Traceability;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace AgriChain.Grains.Tests.Processing;

/// <summary>Every processing type that crosses a grain boundary survives the Orleans serializer unchanged.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ProcessingSerializationTests(ClusterFixture fixture)
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 8, 30, 0, TimeSpan.FromHours(8));
    private static readonly ProcessDefinition Wine = BuiltInProcessDefinitions.PersimmonWine;
    private static readonly Deviation Hot = new("main-fermentation", "temperatureC", 36m, "°C", 18m, 28m, DeviationDirection.Above, 8m);
    private static readonly RecordedStep Step = new("main-fermentation", At, At.AddDays(12), [new ParameterValue("temperatureC", 36m)], [Hot], At, "k");
    private static readonly RunHold Hold = new("processing-run:r:hold-1", At, "deviated", At, "k", "lab test passed");
    private static readonly YieldMeasurement Yield = new(900m, 450m, "L", 0.5m, 0.5m, false);
    private static readonly RunView View = new("r", Wine, "coop", RunStatus.Completed, [new RunInput("a", 500m, "kg")], [Step], [Hold],
        [new RunOutput("w", "persimmon-wine", 450m, "L", null)], Yield, At, "k", At, null, null);

    public static TheoryData<object> Values() =>
    [
        Wine,
        Wine.Steps[4],
        Wine.Steps[4].Parameters[0],
        new ParameterValue("ph", 3.8m),
        Hot,
        Step,
        Hold,
        Yield,
        new RunInput("a", 500m, "kg"),
        new RunStart(Wine, "coop", [new RunInput("a", 500m, "kg")], "k"),
        new StepEntry("pressing", At, At, [new ParameterValue("wineL", 480m)], "k"),
        new RunOutput("w", "persimmon-wine", 450m, "L", "a"),
        View,
        new RunResult(RunOutcome.Conflict, View, Step, "missing", [new Shortfall("a", 2, 1, "not enough left")], ["pressing"],
            [new RunFieldError("parameters.ph", "is required (pH)")]),
        new BatchHold("h", "deviated"),
        new OperationOutput("w", new BatchSpec("persimmon-wine", 450m, "L", null, "coop", null), new BatchHold("h", "deviated")),
        new OperationPlan(EdgeKind.Transform, [new OperationInput("a", 1)], [], "k", OutputsLater: true),
    ];

    [Theory]
    [MemberData(nameof(Values))]
    public void RoundTrip_PreservesValue(object value)
    {
        var serializer = fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();
        var copy = serializer.Deserialize<object>(serializer.SerializeToArray(value));

        Assert.NotNull(copy);
        Assert.Equal(value.GetType(), copy.GetType());
        Assert.Equal(Describe(value), Describe(copy));
    }

    // Records compare lists by reference, so compare their JSON rendering instead.
    private static string Describe(object value) => System.Text.Json.JsonSerializer.Serialize(value, value.GetType());
}
