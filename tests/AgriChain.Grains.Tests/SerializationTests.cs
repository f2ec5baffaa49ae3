using AgriChain.Contracts.Access;
using AgriChain.Contracts.Greenhouses;
using AgriChain.Contracts.MasterData;
using AgriChain.Contracts.Traceability;
using AgriChain.Domain.Traceability;
using AgriChain.Domain.Access;
using AgriChain.Domain.Common;
using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.MasterData;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace AgriChain.Grains.Tests;

/// <summary>Every type that crosses a grain boundary survives the Orleans serializer unchanged.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SerializationTests(ClusterFixture fixture)
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 8, 30, 0, TimeSpan.FromHours(8));
    private static readonly Region Wenxi = new("Xibeizhuang", "Dongzhen", "Wenxi");
    private static readonly FarmProfile Farm = new("Park", "coop", Wenxi, FarmKind.ForestPlot, "Asia/Shanghai");
    private static readonly GreenhouseProfile Greenhouse = new("farm", "House 7", "nectarine", "Zhongyou 4", 1.25m);
    private static readonly KeyGrant Grant = new(Role.Technician, ["farm-1", "farm-2"], null, null, "phone");

    public static TheoryData<object> Values() =>
    [
        Wenxi,
        new CooperativeProfile("Co-op", Wenxi),
        new BuyerProfile("Fresh Mart", "Taiyuan"),
        Farm,
        Greenhouse,
        Grant,
        new CooperativeView("coop", new CooperativeProfile("Co-op", Wenxi), ["farm-1"], At, At),
        new BuyerView("buyer", new BuyerProfile("Fresh Mart", "Taiyuan"), At, At),
        new FarmView("farm", Farm, ["gh-1", "gh-2"], At, At),
        new GreenhouseView("gh", Greenhouse, "coop", GrowthStage.FruitSet, At, At, At),
        new ApiKeyView("key", Grant, At, "admin-key", null),
        new UpsertResult<FarmView>(UpsertOutcome.Updated, new FarmView("farm", Farm, [], At, At)),
        UpsertResult.Refused<GreenhouseView>(UpsertOutcome.Conflict, "farmId", "moved"),
        new Reading(At, 8.5, 60, "s1"),
        new Alert("al-1", "gh", AlertKind.TemperatureBelowFloor, GrowthStage.Flowering, 10, At, At, 8.5, 30, 45, "k", At, "note"),
        new ConditionSummary(new ColdExposure(30, 45), true, false),
        new IngestResult(32, 0, [], []),
        Batch,
        new BatchView("b", Batch, 40, 30, BatchStatus.Active, [new LineageLink("p", 60, EdgeKind.Split, "op")], [], [Shipment], ["buyer"], At, null),
        new OperationPlan(EdgeKind.Merge, [new OperationInput("a", 1)], [new OperationOutput("c", Batch)], "k"),
        new OperationResult("op", OperationStatus.Rejected, [new Shortfall("a", 2, 1, "not enough left")], []),
        new ReserveResult(ReserveOutcome.Shortfall, 3, BatchStatus.Active),
        new EventResult(EventOutcome.Recorded, null, 0),
        new RecallStep(true, ["c"], null),
    ];

    private static readonly BatchSpec Batch = new("persimmon", 100, "kg", "a", "coop", new BatchOrigin("farm", null, At, "east slope"));
    private static readonly BatchEvent Shipment = new("e", BatchEventType.Shipped, At, null, "buyer", 10, null, null, "k");

    [Theory]
    [MemberData(nameof(Values))]
    public void RoundTrip_PreservesValue(object value)
    {
        var serializer = fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();
        var bytes = serializer.SerializeToArray(value);
        var copy = serializer.Deserialize<object>(bytes);

        Assert.NotNull(copy);
        Assert.Equal(value.GetType(), copy.GetType());
        Assert.Equal(Describe(value), Describe(copy));
    }

    // Records compare lists by reference, so compare their JSON rendering instead.
    private static string Describe(object value) => System.Text.Json.JsonSerializer.Serialize(value, value.GetType());
}
