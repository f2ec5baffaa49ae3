using AgriChain.Domain.Market;
using static AgriChain.Domain.Tests.Market.MarketSamples;

namespace AgriChain.Domain.Tests.Market;

public sealed class SupplyAndWatchTests
{
    [Fact]
    public void ByVillage_CountsOnlyFreeKilogramsOfMatchingOffers()
    {
        var entries = new[]
        {
            Offer("a1", 6.0m, 1000, Xibeizhuang),
            Offer("a2", 5.8m, 500, Xibeizhuang, kind: OfferKind.Forecast),
            Offer("a3", 5.0m, 0, Xibeizhuang),
            Offer("b1", 6.5m, 700, Houcun, grade: "b"),
            Offer("c1", 7.0m, 300, Nanguan, availableInDays: 30),
        };

        var all = SupplyMath.ByVillage(entries, new SupplyFilter("nectarine"), Now);
        Assert.Equal(3, all.Count);
        var xbz = all.Single(v => v.Region == Xibeizhuang);
        Assert.Equal((1000m, 500m, 5.8m, 2), (xbz.OnHandKg, xbz.ForecastKg, xbz.MinPricePerKg!.Value, xbz.Offers));

        var gradeA = SupplyMath.ByVillage(entries, new SupplyFilter("nectarine", Grade: "a", AvailableBy: Now.AddDays(10), County: "Wenxi"), Now);
        Assert.Equal([Xibeizhuang], gradeA.Select(v => v.Region));
        Assert.Equal(1500, SupplyMath.FreeKg(entries, new SupplyFilter("nectarine", Grade: "a", AvailableBy: Now.AddDays(10)), Now));
        Assert.Equal(700, SupplyMath.FreeKg(entries, new SupplyFilter("nectarine", Village: "Houcun"), Now));
    }

    [Fact]
    public void Merge_AddsUpTheSameVillageFromSeveralAnswers()
    {
        var merged = SupplyMath.Merge([new VillageSupply(Houcun, 100, 0, 6, 1), new VillageSupply(Houcun, 50, 20, 5.5m, 2),
            new VillageSupply(Nanguan, 10, 0, 7, 1)]);

        Assert.Equal([new VillageSupply(Nanguan, 10, 0, 7, 1), new VillageSupply(Houcun, 150, 20, 5.5m, 3)], merged);
    }

    [Fact]
    public void ColdLots_AreLeftOut_OnlyWhenAsked()
    {
        var entries = new[] { Offer("warm", 6, 400), Offer("cold", 6, 600, coldEvent: true) };

        Assert.Equal(1000, SupplyMath.FreeKg(entries, new SupplyFilter("nectarine"), Now));
        Assert.Equal(400, SupplyMath.FreeKg(entries, new SupplyFilter("nectarine", ExcludeColdEvents: true), Now));
    }

    [Fact]
    public void Watch_NotifiesOncePerCrossing_AndRearmsBelowTheMinimum()
    {
        var steps = new List<WatchStep>();
        var satisfied = false;
        foreach (var kg in new[] { 0m, 500m, 800m, 1200m, 700m, 800m })
        {
            var step = WatchRules.Step(satisfied, kg, 800);
            satisfied = step.Satisfied;
            steps.Add(step);
        }

        Assert.Equal([false, false, true, false, false, true], steps.Select(s => s.Notify));
    }

    [Fact]
    public void ForecastShares_ShrinkTheNewestClaimsFirst()
    {
        var claims = new[] { new ForecastClaim("first", 1000), new ForecastClaim("second", 600), new ForecastClaim("third", 400) };

        Assert.Equal(new Dictionary<string, decimal> { ["first"] = 1000, ["second"] = 600, ["third"] = 200 }, ForecastShares.Grant(1800, claims));
        Assert.Equal(new Dictionary<string, decimal> { ["first"] = 1000, ["second"] = 440, ["third"] = 0 }, ForecastShares.Grant(1440, claims));
        Assert.Equal(0, ForecastShares.Unclaimed(1800, claims));
        Assert.Equal(200, ForecastShares.Unclaimed(2200, claims));
    }
}
