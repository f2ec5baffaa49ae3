using AgriChain.Contracts.Market;
using AgriChain.Domain.Common;
using AgriChain.Domain.Market;
using AgriChain.Domain.MasterData;
using AgriChain.Grains.Market;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace AgriChain.Grains.Tests.Market;

/// <summary>Every market type that crosses a grain boundary or lives in grain state survives the Orleans serializer.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MarketSerializationTests(ClusterFixture fixture)
{
    private static readonly DateTimeOffset At = new(2026, 3, 20, 8, 0, 0, TimeSpan.FromHours(8));
    private static readonly Region Place = new("Xibeizhuang", "Dongzhen", "Wenxi");
    private static readonly OfferTerms Terms = new("coop", "nectarine", "a", 1000, 6.5m, At, At.AddDays(20), "batch-1", null);
    private static readonly DemandTerms Demand = new("fresh-mart", "nectarine", "b", 400, 7, At.AddDays(5), "Wenxi", null);
    private static readonly SupplyEntry Entry = new("offer-1", "coop", "nectarine", "a", OfferKind.Forecast, 6.5m, At, At.AddDays(9), Place, 300, true, At, 7, true);
    private static readonly WatchSpec Watch = new("fresh-mart", "nectarine", "a", 800, null, "Dongzhen", null, true);
    private static readonly DemandAdjustment Adjustment = new(At, "offer-1", AdjustmentReason.ForecastReduced, 260, 200);

    public static TheoryData<object> Values() =>
    [
        Terms,
        Demand,
        Entry,
        Watch,
        Adjustment,
        new DemandMatch("offer-1", "coop", Place, 400, 6.5m),
        new SupplyFilter("nectarine", "a", At, "Xibeizhuang", null, "Wenxi", true),
        new VillageSupply(Place, 100, 50, 6.5m, 2),
        new ForecastClaim("offer-1", 900),
        new OfferAllocation("demand-1", "fresh-mart", 400, At),
        new AllocationAttempt(3, 120),
        new OfferOpening(Terms, Place, true, 1, "key"),
        new OfferResult(OfferOutcome.Shortfall, null, 200, "only 200 kg"),
        new OfferView("offer-1", Terms, Place, OfferStatus.Active, 1000, 400, 600, false, At, null, [new OfferAllocation("d", "b", 400, At)], 9),
        new AllocationRequest("demand-1", 2, 400, Demand),
        new AllocationAnswer(100, 400, 9, "coop", Place, 6.5m, OfferStatus.Active),
        new ForecastShare(1440, true, 4),
        new AllocationNotice("offer-1", "demand-1", 0, AdjustmentReason.OfferWithdrawn, 11),
        new DemandView("demand-1", Demand, DemandStatus.PartiallyMatched, [new DemandMatch("offer-1", "coop", Place, 300, 6.5m)], 300, 100, [Adjustment], At, null),
        new UpsertResult<DemandView>(UpsertOutcome.Conflict, null, "id", "other terms"),
        new WatchSubscription("fresh-mart/w1", Watch.Filter),
        new SupplyReport("nectarine/Wenxi", 700, 1_048_577),
        new ForecastClaimResult(true, 1800, new ForecastShare(1800, false, 1), true),
        new ForecastPoolView(1800, false, [new ForecastClaim("offer-1", 900)], 3),
        new WatchView("w1", Watch, 900, true, 2, At, At),
        new DemandHolding(new DemandMatch("offer-1", "coop", Place, 300, 6.5m), 4),
        new PendingLoss("offer-1", AdjustmentReason.ForecastReduced, 260, 1440),
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

    [Fact]
    public void OfferBook_RoundTripsWithItsMemory()
    {
        var book = new OfferBook { CapacityKg = 1000 };
        book.Allocate("d1", "b", 1, 300, true, At);
        book.Allocate("d2", "b", 1, 0, true, At);
        book.Release("d3");
        var serializer = fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();

        var copy = serializer.Deserialize<OfferBook>(serializer.SerializeToArray(book));

        Assert.NotNull(copy);
        Assert.Equal(Describe(book), Describe(copy));
        Assert.Equal(new AllocationGrant(300, 300, false), copy.Allocate("d1", "b", 1, 300, true, At));
        Assert.True(copy.IsClosed("d3"));
    }

    private static string Describe(object value) => System.Text.Json.JsonSerializer.Serialize(value, value.GetType());
}
