using AgriChain.Contracts.Traceability;
using AgriChain.Domain.Traceability;
using AgriChain.Grains.Traceability;
using AgriChain.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Newtonsoft.Json;
using Orleans.Serialization;
using Orleans.Storage;

namespace AgriChain.Cluster.Tests;

/// <summary>
/// A grain whose state holds a list made by a C# collection expression must load that state on another silo: the
/// failover test found batch operations that could not be resumed after their silo was killed, because their stored
/// plan named a list type the compiler generates.
/// </summary>
public sealed class GrainStateJsonTests
{
    private static readonly BatchSpec Spec = new("nectarine", 5m, "kg", "a", "coop-1", null);

    [Fact]
    public void StateWithCollectionExpressionLists_IsStoredAsPlainLists_AndReadBack()
    {
        var serializer = Serializer(safe: true);
        var state = OperationState();

        var stored = serializer.Serialize(state);
        var read = serializer.Deserialize<BatchOperationState>(stored)!;

        Assert.DoesNotContain("<>z__", stored.ToString(), StringComparison.Ordinal);
        Assert.Equal(state.Plan!.Inputs, read.Plan!.Inputs);
        Assert.Equal(state.Plan.Outputs, read.Plan.Outputs);
        Assert.Equal((state.Status, state.Plan.Kind), (read.Status, read.Plan.Kind));
    }

    [Fact]
    public void StateStoredBeforeTheFix_IsReadBack()
    {
        var stored = Serializer(safe: false).Serialize(OperationState());
        Assert.Contains("<>z__ReadOnlySingleElementList", stored.ToString(), StringComparison.Ordinal);
        Assert.Throws<JsonSerializationException>(() => Serializer(safe: false).Deserialize<BatchOperationState>(stored));

        var read = Serializer(safe: true).Deserialize<BatchOperationState>(stored)!;

        Assert.Equal(new OperationInput("root-1", 10m), Assert.Single(read.Plan!.Inputs));
    }

    [Fact]
    public void StateWithCollectionExpressionLists_RoundTripsInTheBinaryForm()
    {
        var serializer = Services(safe: true).GetRequiredService<GrainStateSerializer>();
        var state = OperationState();

        var stored = serializer.Serialize(state);
        var read = serializer.Deserialize<BatchOperationState>(stored)!;

        Assert.True(GrainStateSerializer.IsBinary(stored.ToMemory().Span));
        Assert.Equal(state.Plan!.Inputs, read.Plan!.Inputs);
        Assert.Equal(state.Plan.Outputs, read.Plan.Outputs);
        Assert.Equal((state.Status, state.Plan.Kind, state.StartedAt), (read.Status, read.Plan.Kind, read.StartedAt));
    }

    [Fact]
    public void StateStoredAsJson_IsReadByTheBinaryFormsSerializer()
    {
        var json = Serializer(safe: true).Serialize(OperationState());

        var read = Services(safe: true).GetRequiredService<GrainStateSerializer>().Deserialize<BatchOperationState>(json)!;

        Assert.Equal(new OperationInput("root-1", 10m), Assert.Single(read.Plan!.Inputs));
        Assert.Equal(OperationStatus.Committing, read.Status);
    }

    [Fact]
    public void GeneratedListTypes_AreRecognised()
    {
        IReadOnlyList<int> one = [1];
        IReadOnlyList<int> two = [1, 2];
        IReadOnlyList<int> list = new List<int> { 1 };

        Assert.True(GrainStateJson.IsGeneratedCollection(one.GetType()));
        Assert.True(GrainStateJson.IsGeneratedCollection(two.GetType()), two.GetType().Name);
        Assert.False(GrainStateJson.IsGeneratedCollection(list.GetType()));
        Assert.False(GrainStateJson.IsGeneratedCollection(typeof(Dictionary<int, int>)));
    }

    private static BatchOperationState OperationState() => new()
    {
        Plan = new OperationPlan(EdgeKind.Split, [new OperationInput("root-1", 10m)],
            [new OperationOutput("part-1", Spec), new OperationOutput("part-2", Spec)], "admin"),
        Status = OperationStatus.Committing,
        StartedAt = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero),
    };

    /// <summary>Orleans' JSON grain-state serializer (how state was stored before the binary form), with AgriChain's storage wiring or without.</summary>
    private static JsonGrainStorageSerializer Serializer(bool safe) =>
        new(Services(safe).GetRequiredService<OrleansJsonSerializer>());

    /// <summary>The services of a silo as AgriChain builds it (or without AgriChain's storage wiring).</summary>
    private static IServiceProvider Services(bool safe)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering();
            if (safe)
            {
                silo.UseAgriChainStorage();
            }
        });

        // Built, never started: only its services are needed.
        return builder.Build().Services;
    }
}
