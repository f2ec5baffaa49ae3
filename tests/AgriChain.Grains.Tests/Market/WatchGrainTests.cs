using AgriChain.Contracts.Market;
using AgriChain.Contracts.Notifications;
using AgriChain.Domain.Common;
using AgriChain.Domain.Market;
using AgriChain.Domain.Notifications;
using static AgriChain.Grains.Tests.Market.MarketWorld;

namespace AgriChain.Grains.Tests.Market;

[Collection(ClusterCollection.Name)]
public sealed class WatchGrainTests(ClusterFixture fixture)
{
    private readonly MarketWorld _world = new(fixture);
    private readonly string _buyer = NewId("buyer");

    private IWatchGrain Watch(string id) => fixture.Grains.GetGrain<IWatchGrain>(MarketKeys.Watch(_buyer, id));

    private Task<OutboxStatus> OutboxAsync() =>
        fixture.Grains.GetGrain<INotificationOutboxGrain>(NotificationOwner.Buyer(_buyer).Key).GetStatusAsync();

    [Fact]
    public async Task AWatch_NotifiesOncePerCrossingOfItsMinimum()
    {
        var watch = Watch("w1");
        var created = await watch.CreateAsync(new WatchSpec(_buyer, _world.Product, "a", 800, null, null, _world.County, false));
        Assert.Equal(UpsertOutcome.Created, created.Outcome);
        Assert.Equal(0, created.Value!.AvailableKg);

        await _world.OfferAsync(500, 6);
        await EventuallyAsync(watch.GetAsync, w => w!.AvailableKg == 500, "500 kg counted");
        await _world.OfferAsync(400, 6);
        await _world.OfferAsync(100, 6);
        var above = await EventuallyAsync(watch.GetAsync, w => w!.AvailableKg == 1000, "1,000 kg counted");
        Assert.Equal((true, 1), (above!.Satisfied, above.Notifications));

        await _world.DemandGrain(NewId("demand")).SubmitAsync(_world.Demand(300, buyer: _buyer), "test");
        var below = await EventuallyAsync(watch.GetAsync, w => w!.AvailableKg == 700, "700 kg counted");
        Assert.False(below!.Satisfied);
        await _world.OfferAsync(200, 6);
        var again = await EventuallyAsync(watch.GetAsync, w => w!.AvailableKg == 900, "900 kg counted");

        Assert.Equal(2, again!.Notifications);
        Assert.Equal(2, (await OutboxAsync()).Remembered);
    }

    [Fact]
    public async Task AWatchWithoutCounty_AddsUpEveryCounty_AndSkipsColdLotsWhenAsked()
    {
        var other = new MarketWorld(fixture, _world.Product);
        var watch = Watch("everywhere");
        await watch.CreateAsync(new WatchSpec(_buyer, _world.Product, "b", 1000, null, null, null, ExcludeColdEvents: true));

        await _world.OfferAsync(600, 6);
        var cold = MarketWorld.NewId("offer");
        var batch = await other.BatchAsync(900);
        await other.Offer(cold).OpenAsync(new OfferOpening(other.Terms(900, 6, batch), other.Village("Nanguan"), ColdEvent: true, 900, "test"));
        await EventuallyAsync(watch.GetAsync, w => w!.AvailableKg == 600, "600 kg without cold events counted");
        await other.OfferAsync(400, 6, "Nanguan");

        var fired = await EventuallyAsync(watch.GetAsync, w => w!.Notifications == 1, "one notification");
        Assert.Equal(1000, fired!.AvailableKg);
        Assert.Equal(1, (await OutboxAsync()).Remembered);
    }

    [Fact]
    public async Task AWatch_IsCreatedOnce_AndDeletedForGood()
    {
        var spec = new WatchSpec(_buyer, _world.Product, "a", 100, null, null, _world.County, false);
        var watch = Watch("once");

        Assert.Equal(UpsertOutcome.Created, (await watch.CreateAsync(spec)).Outcome);
        Assert.Equal(UpsertOutcome.Unchanged, (await watch.CreateAsync(spec)).Outcome);
        Assert.Equal(UpsertOutcome.Conflict, (await watch.CreateAsync(spec with { MinQuantityKg = 5 })).Outcome);
        Assert.True(await watch.DeleteAsync());
        Assert.Null(await watch.GetAsync());
        Assert.False(await watch.DeleteAsync());
    }
}
