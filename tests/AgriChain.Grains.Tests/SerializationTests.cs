using AgriChain.Contracts.Access;
using AgriChain.Contracts.Greenhouses;
using AgriChain.Contracts.MasterData;
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
    ];

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
