using AgriChain.Contracts.Market;
using AgriChain.Contracts.Traceability;
using AgriChain.Domain.Common;
using AgriChain.Domain.Market;
using AgriChain.Domain.Traceability;
using static AgriChain.Grains.Tests.Market.MarketWorld;

namespace AgriChain.Grains.Tests.Market;

[Collection(ClusterCollection.Name)]
public sealed class MarketGrainTests(ClusterFixture fixture)
{
    private readonly MarketWorld _world = new(fixture);

    [Fact]
    public async Task FortyConcurrentDemands_OnAScarceOffer_AllocateExactlyItsFreeQuantity()
    {
        var offer = await _world.OfferAsync(1000, 6.0m);

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ =>
            _world.DemandGrain(NewId("demand")).SubmitAsync(_world.Demand(70), "test")));

        var demands = results.Select(r => r.Value!).ToList();
        Assert.All(results, r => Assert.Equal(UpsertOutcome.Created, r.Outcome));
        Assert.Equal(1000, demands.Sum(d => d.MatchedKg));
        Assert.Equal(14, demands.Count(d => d.Status == DemandStatus.Matched));
        Assert.Equal(20, Assert.Single(demands, d => d.Status == DemandStatus.PartiallyMatched).MatchedKg);
        Assert.Equal(25, demands.Count(d => d.Status == DemandStatus.Open));

        var view = await _world.Offer(offer).GetAsync();
        Assert.Equal(1000, view!.AllocatedKg);
        Assert.Equal(0, view.FreeKg);
        Assert.Equal(demands.Where(d => d.MatchedKg > 0).ToDictionary(d => d.Id, d => d.MatchedKg),
            view.Allocations.ToDictionary(a => a.DemandId, a => a.QuantityKg));
        Assert.Equal(0, await _world.FreeInIndexAsync());
    }

    [Fact]
    public async Task ManyOffersOpenedAtOnce_AllReachTheIndex_AndItsAllocationsSurviveAReload()
    {
        // Offers of one county open together, so the index takes interleaved updates while it writes.
        var offers = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => _world.OfferAsync(100, 5.0m + (i % 4))));
        Assert.Equal(2400, await _world.FreeInIndexAsync());

        var demand = await _world.DemandGrain(NewId("demand")).SubmitAsync(_world.Demand(250), "test");
        Assert.Equal(250, demand.Value!.MatchedKg);
        Assert.Equal(2150, await _world.FreeInIndexAsync());

        // Changes of offers already indexed are written shortly after they are answered; a graceful deactivation
        // writes what is pending, so the reloaded index agrees with the offers.
        await fixture.DeactivateAllAsync();

        Assert.Equal(2150, await _world.FreeInIndexAsync());
        var free = await Task.WhenAll(offers.Select(async id => (await _world.Offer(id).GetAsync())!.FreeKg));
        Assert.Equal(2150, free.Sum());
    }

    [Fact]
    public async Task ConcurrentDemands_FillAcrossOffers_CheapestFirst_NeverBeyondEachOffer()
    {
        var cheap = await _world.OfferAsync(300, 5.0m, "Xibeizhuang");
        var middle = await _world.OfferAsync(300, 5.5m, "Houcun");
        var dear = await _world.OfferAsync(300, 6.0m, "Nanguan");

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            _world.DemandGrain(NewId("demand")).SubmitAsync(_world.Demand(100), "test")));

        Assert.Equal(900, results.Sum(r => r.Value!.MatchedKg));
        foreach (var offer in new[] { cheap, middle, dear })
        {
            Assert.Equal(300, (await _world.Offer(offer).GetAsync())!.AllocatedKg);
        }
    }

    [Fact]
    public async Task AnOfferOnABatch_HoldsTheBatchQuantity_SoASplitFallsShort_UntilWithdrawn()
    {
        var batch = await _world.BatchAsync(1000);
        var offerId = NewId("offer");
        var opened = await _world.Offer(offerId).OpenAsync(new OfferOpening(_world.Terms(800, 6, batch), _world.Village("Xibeizhuang"), false, 800, "test"));
        Assert.Equal(OfferOutcome.Created, opened.Outcome);
        Assert.Equal(200, (await fixture.Grains.GetGrain<IBatchGrain>(batch).GetAsync())!.Available);

        var split = await Split(batch, 300);
        Assert.Equal(OperationStatus.Rejected, split.Status);
        Assert.Equal(200, Assert.Single(split.Shortfalls).Available);

        var second = await _world.Offer(NewId("offer")).OpenAsync(new OfferOpening(_world.Terms(300, 6, batch), _world.Village("Xibeizhuang"), false, 300, "test"));
        Assert.Equal(OfferOutcome.Shortfall, second.Outcome);
        Assert.Equal(200, second.AvailableKg);

        var withdrawn = await _world.Offer(offerId).WithdrawAsync("test");
        Assert.Equal(OfferStatus.Withdrawn, withdrawn!.Status);
        Assert.Equal(1000, (await fixture.Grains.GetGrain<IBatchGrain>(batch).GetAsync())!.Available);
        Assert.Equal(OperationStatus.Completed, (await Split(batch, 300)).Status);
        Assert.Equal(0, await _world.FreeInIndexAsync());
    }

    [Fact]
    public async Task ARetriedDemand_NeverAllocatesTwice_AndOtherTermsUnderItsIdConflict()
    {
        var offer = await _world.OfferAsync(1000, 6);
        var id = NewId("demand");
        var demand = _world.DemandGrain(id);

        var first = await demand.SubmitAsync(_world.Demand(400), "test");
        var again = await demand.SubmitAsync(_world.Demand(400), "test");
        var other = await demand.SubmitAsync(_world.Demand(500), "test");

        Assert.Equal(UpsertOutcome.Created, first.Outcome);
        Assert.Equal(UpsertOutcome.Unchanged, again.Outcome);
        Assert.Equal(UpsertOutcome.Conflict, other.Outcome);
        Assert.Equal(400, again.Value!.MatchedKg);
        Assert.Equal(400, (await _world.Offer(offer).GetAsync())!.AllocatedKg);

        // The same attempt asked again (a resumed demand) gets the same answer and nothing more.
        var repeat = await _world.Offer(offer).AllocateAsync(new AllocationRequest(id, 1, 400, _world.Demand(400)));
        Assert.Equal((400m, 400m), (repeat.GrantedKg, repeat.HeldKg));
        Assert.Equal(400, (await _world.Offer(offer).GetAsync())!.AllocatedKg);
    }

    [Fact]
    public async Task AnAttemptAnsweredBeforeACrash_IsCountedOnResume_NotTakenAgain()
    {
        var offer = await _world.OfferAsync(1000, 6);
        var id = NewId("demand");

        // As if the demand had written its intent, asked the offer, and died before recording the answer.
        var before = await _world.Offer(offer).AllocateAsync(new AllocationRequest(id, 1, 300, _world.Demand(300)));
        Assert.Equal(300, before.GrantedKg);
        var resumed = await _world.DemandGrain(id).SubmitAsync(_world.Demand(300), "test");

        Assert.Equal((DemandStatus.Matched, 300m), (resumed.Value!.Status, resumed.Value.MatchedKg));
        Assert.Equal(300, (await _world.Offer(offer).GetAsync())!.AllocatedKg);
        Assert.Equal(700, await _world.FreeInIndexAsync());
    }

    [Fact]
    public async Task Cancelling_ReturnsTheKilosToTheOfferAndTheSupply()
    {
        var offer = await _world.OfferAsync(1000, 6);
        var demand = _world.DemandGrain(NewId("demand"));
        await demand.SubmitAsync(_world.Demand(600), "test");
        Assert.Equal(400, await _world.FreeInIndexAsync());

        var cancelled = await demand.CancelAsync("test");
        var again = await demand.CancelAsync("test");

        Assert.Equal(DemandStatus.Cancelled, cancelled!.Status);
        Assert.Equal(DemandStatus.Cancelled, again!.Status);
        Assert.Empty(again.Matches);
        Assert.Equal(1000, (await _world.Offer(offer).GetAsync())!.FreeKg);
        Assert.Equal(1000, await _world.FreeInIndexAsync());
    }

    [Fact]
    public async Task AnAnsweredDemand_SurvivesDeactivation()
    {
        await _world.OfferAsync(500, 6, "Xibeizhuang");
        await _world.OfferAsync(500, 7, "Houcun");
        var demand = _world.DemandGrain(NewId("demand"));
        var answered = (await demand.SubmitAsync(_world.Demand(800), "test")).Value!;

        await fixture.DeactivateAllAsync();
        var read = await demand.GetAsync();

        Assert.Equal(DemandStatus.Matched, read!.Status);
        Assert.Equal(answered.Matches, read.Matches);
        Assert.Equal([500m, 300m], read.Matches.Select(m => m.QuantityKg));
        Assert.Equal(["Xibeizhuang", "Houcun"], read.Matches.Select(m => m.Region.Village));
    }

    [Fact]
    public async Task WithdrawingAnOfferWithAllocations_RematchesItsDemandsElsewhere()
    {
        var cheap = await _world.OfferAsync(500, 6, "Xibeizhuang");
        var dear = await _world.OfferAsync(500, 7, "Houcun");
        var demandId = NewId("demand");
        var demand = _world.DemandGrain(demandId);
        Assert.Equal(cheap, Assert.Single((await demand.SubmitAsync(_world.Demand(400), "test")).Value!.Matches).OfferId);

        var withdrawn = await _world.Offer(cheap).WithdrawAsync("test");

        Assert.Equal(0, withdrawn!.AllocatedKg);
        var rematched = await EventuallyAsync(demand.GetAsync, d => d!.Adjustments.Count == 1, "one adjustment of the demand");
        var adjustment = Assert.Single(rematched!.Adjustments);
        Assert.Equal((AdjustmentReason.OfferWithdrawn, AdjustmentOutcome.Rematched, 400m, 400m),
            (adjustment.Reason, adjustment.Outcome, adjustment.LostKg, adjustment.RecoveredKg));
        Assert.Equal(DemandStatus.Matched, rematched.Status);
        Assert.Equal((dear, 400m), (Assert.Single(rematched.Matches).OfferId, rematched.Matches[0].QuantityKg));
        Assert.Equal(100, await _world.FreeInIndexAsync());
    }

    private Task<OperationResult> Split(string batch, decimal kg) =>
        fixture.Grains.GetGrain<IBatchOperationGrain>(NewId("op")).RunAsync(new OperationPlan(EdgeKind.Split,
            [new OperationInput(batch, kg)], [new OperationOutput(NewId("part"), new BatchSpec(_world.Product, kg, "kg", "a", _world.Owner, null))], "test"));
}
