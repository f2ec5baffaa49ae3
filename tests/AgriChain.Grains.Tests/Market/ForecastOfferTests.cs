using AgriChain.Contracts.Greenhouses;
using AgriChain.Contracts.Market;
using AgriChain.Contracts.MasterData;
using AgriChain.Domain.Common;
using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.Market;
using AgriChain.Domain.MasterData;
using static AgriChain.Grains.Tests.Market.MarketWorld;

namespace AgriChain.Grains.Tests.Market;

[Collection(ClusterCollection.Name)]
public sealed class ForecastOfferTests(ClusterFixture fixture)
{
    private readonly MarketWorld _world = new(fixture, product: "nectarine");

    /// <summary>A nectarine greenhouse of 1.2 mu in flowering: forecast 1,800 kg until cold costs some of it.</summary>
    private async Task<IGreenhouseGrain> FloweringGreenhouseAsync(DateTimeOffset since)
    {
        var farm = NewId("farm");
        var region = _world.Village("Xibeizhuang");
        await fixture.Grains.GetGrain<ICooperativeGrain>(_world.Owner).PutAsync(new CooperativeProfile("Co-op", region));
        await fixture.Grains.GetGrain<IFarmGrain>(farm).PutAsync(new FarmProfile("Park", _world.Owner, region, FarmKind.Greenhouse, "Asia/Shanghai"));
        var greenhouse = fixture.Grains.GetGrain<IGreenhouseGrain>(NewId("gh"));
        Assert.Equal(UpsertOutcome.Created, (await greenhouse.PutAsync(new GreenhouseProfile(farm, "House 7", "nectarine", "Zhongyou 4", 1.2m))).Outcome);
        Assert.Equal(UpsertOutcome.Updated, (await greenhouse.SetStageAsync(GrowthStage.Flowering, since)).Outcome);
        return greenhouse;
    }

    [Fact]
    public async Task AForecastOffer_IsCappedByTheForecast_AndShrinksWithIt_RematchingItsDemand()
    {
        var start = Now.AddHours(-3);
        var greenhouse = await FloweringGreenhouseAsync(start);
        var greenhouseId = greenhouse.GetPrimaryKeyString();
        var forecastOffer = NewId("offer");
        var opened = await _world.Offer(forecastOffer).OpenAsync(
            new OfferOpening(_world.Terms(1800, 5.0m, greenhouseId: greenhouseId), _world.Village("Xibeizhuang"), false, 0, "test"));
        Assert.Equal(OfferOutcome.Created, opened.Outcome);
        Assert.Equal(1800, opened.Offer!.CapacityKg);

        var tooMuch = await _world.Offer(NewId("offer")).OpenAsync(
            new OfferOpening(_world.Terms(1, 5.0m, greenhouseId: greenhouseId), _world.Village("Xibeizhuang"), false, 0, "test"));
        Assert.Equal((OfferOutcome.Shortfall, 0m), (tooMuch.Outcome, tooMuch.AvailableKg));

        var onHand = await _world.OfferAsync(1000, 6.0m, "Houcun");
        var demand = _world.DemandGrain(NewId("demand"));
        var matched = (await demand.SubmitAsync(_world.Demand(1700), "test")).Value!;
        Assert.Equal((forecastOffer, 1700m), (Assert.Single(matched.Matches).OfferId, matched.Matches[0].QuantityKg));

        // An hour at 0 °C in flowering: 10 degree-hours below the floor cost 20 % of the crop, 1,440 kg remain.
        await greenhouse.RecordReadingsAsync([new Reading(start.AddMinutes(30), 0, null, "s1"),
            new Reading(start.AddMinutes(60), 0, null, "s1"), new Reading(start.AddMinutes(90), 12, null, "s1")]);

        var adjusted = await EventuallyAsync(demand.GetAsync, d => d!.Adjustments.Count == 1, "the demand re-matched after the forecast fell");
        var adjustment = Assert.Single(adjusted!.Adjustments);
        Assert.Equal((AdjustmentReason.ForecastReduced, AdjustmentOutcome.Rematched, 260m, 260m),
            (adjustment.Reason, adjustment.Outcome, adjustment.LostKg, adjustment.RecoveredKg));
        Assert.Equal(DemandStatus.Matched, adjusted.Status);
        Assert.Equal([(forecastOffer, 1440m), (onHand, 260m)], adjusted.Matches.Select(m => (m.OfferId, m.QuantityKg)));

        var offer = await _world.Offer(forecastOffer).GetAsync();
        Assert.Equal((1440m, 1440m, 0m, true), (offer!.CapacityKg, offer.AllocatedKg, offer.FreeKg, offer.ColdEvent));
        Assert.Equal(1440, (await fixture.Grains.GetGrain<IForecastPoolGrain>(greenhouseId).GetAsync()).ForecastKg);
        Assert.Equal(740, await _world.FreeInIndexAsync());
    }

    [Fact]
    public async Task AForecastThatFallsBelowWhatNoOtherOfferCanCover_ReducesTheDemand()
    {
        var start = Now.AddHours(-3);
        var greenhouse = await FloweringGreenhouseAsync(start);
        var forecastOffer = NewId("offer");
        await _world.Offer(forecastOffer).OpenAsync(new OfferOpening(
            _world.Terms(1800, 5.0m, greenhouseId: greenhouse.GetPrimaryKeyString()), _world.Village("Xibeizhuang"), false, 0, "test"));
        var demand = _world.DemandGrain(NewId("demand"));
        await demand.SubmitAsync(_world.Demand(1800), "test");

        await greenhouse.RecordReadingsAsync([new Reading(start.AddMinutes(30), 0, null, "s1"),
            new Reading(start.AddMinutes(60), 0, null, "s1"), new Reading(start.AddMinutes(90), 12, null, "s1")]);

        var adjusted = await EventuallyAsync(demand.GetAsync, d => d!.Adjustments.Count == 1, "the demand reduced after the forecast fell");
        Assert.Equal((AdjustmentOutcome.Reduced, 360m, 0m),
            (adjusted!.Adjustments[0].Outcome, adjusted.Adjustments[0].LostKg, adjusted.Adjustments[0].RecoveredKg));
        Assert.Equal((DemandStatus.PartiallyMatched, 1440m, 360m), (adjusted.Status, adjusted.MatchedKg, adjusted.UnmatchedKg));
    }
}
