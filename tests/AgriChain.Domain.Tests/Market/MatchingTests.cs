using AgriChain.Domain.Market;
using static AgriChain.Domain.Tests.Market.MarketSamples;

namespace AgriChain.Domain.Tests.Market;

public sealed class MatchingTests
{
    [Fact]
    public void Candidates_AreCheapestFirst_ThenEarliestAvailable_ThenOldest_ThenById()
    {
        var offers = new[]
        {
            Offer("late", 6.0m, 100, availableInDays: 5),
            Offer("dear", 7.0m, 100, availableInDays: 0),
            Offer("new", 6.0m, 100, availableInDays: 1, createdMinutesAgo: 5),
            Offer("old", 6.0m, 100, availableInDays: 1, createdMinutesAgo: 500),
            Offer("cheap", 5.5m, 100, availableInDays: 9),
            Offer("old-b", 6.0m, 100, availableInDays: 1, createdMinutesAgo: 500),
        };

        var order = Matching.Candidates(offers, Demand(1000), Now).Select(o => o.OfferId);

        Assert.Equal(["cheap", "old", "old-b", "new", "late", "dear"], order);
    }

    [Fact]
    public void Plan_FillsCheapestFirstAcrossVillages_AndLeavesTheRestUnmatched()
    {
        var offers = new[]
        {
            Offer("c", 7.0m, 1000, Nanguan),
            Offer("a", 6.0m, 2500, Xibeizhuang),
            Offer("b", 6.5m, 1500, Houcun),
        };

        var fills = Matching.Plan(offers, Demand(4000), 4000, Now);

        Assert.Equal([("a", 2500m), ("b", 1500m)], fills.Select(f => (f.Offer.OfferId, f.QuantityKg)));
        var partial = Matching.Plan(offers, Demand(6000), 6000, Now);
        Assert.Equal([2500m, 1500m, 1000m], partial.Select(f => f.QuantityKg));
        Assert.Equal(5000m, partial.Sum(f => f.QuantityKg));
    }

    [Fact]
    public void Plan_TakesPartOfAnOffer_WhenThatMeetsTheNeed()
    {
        var fills = Matching.Plan([Offer("a", 6, 800), Offer("b", 6.5m, 800)], Demand(1000), 1000, Now);

        Assert.Equal([("a", 800m), ("b", 200m)], fills.Select(f => (f.Offer.OfferId, f.QuantityKg)));
    }

    [Theory]
    [InlineData("premium", "a", true)]
    [InlineData("a", "a", true)]
    [InlineData("b", "a", false)]
    [InlineData("c", "b", false)]
    [InlineData("premium", "c", true)]
    [InlineData("a", "premium", false)]
    public void Grade_MustBeAtLeastAsGoodAsAsked(string offered, string wanted, bool eligible)
    {
        Assert.Equal(eligible, Matching.IsEligible(Offer("o", 6, 100, grade: offered), Demand(100, grade: wanted), Now));
        Assert.Equal(eligible, MarketGrades.AtLeast(offered, wanted));
    }

    [Fact]
    public void Eligibility_NeedsProductPriceDateRegionAndALiveOffer()
    {
        var offer = Offer("o", 6.5m, 100, Houcun, availableInDays: 3);
        Assert.True(Matching.IsEligible(offer, Demand(100, maxPrice: 6.5m, deliverInDays: 3, county: "Wenxi", township: "Dongzhen"), Now));

        Assert.False(Matching.IsEligible(offer with { Product = "persimmon" }, Demand(100), Now));
        Assert.False(Matching.IsEligible(offer, Demand(100, maxPrice: 6.49m), Now));
        Assert.False(Matching.IsEligible(offer, Demand(100, deliverInDays: 2), Now));
        Assert.False(Matching.IsEligible(offer, Demand(100, county: "Jiangxian"), Now));
        Assert.False(Matching.IsEligible(offer, Demand(100, township: "Yicheng"), Now));
        Assert.False(Matching.IsEligible(offer with { Active = false }, Demand(100), Now));
        Assert.False(Matching.IsEligible(offer with { AvailableTo = Now.AddTicks(-1) }, Demand(100), Now));
        Assert.Empty(Matching.Candidates([offer with { FreeKg = 0 }], Demand(100), Now));
    }
}
