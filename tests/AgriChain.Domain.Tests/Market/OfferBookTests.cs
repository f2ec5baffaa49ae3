using AgriChain.Domain.Market;
using static AgriChain.Domain.Tests.Market.MarketSamples;

namespace AgriChain.Domain.Tests.Market;

public sealed class OfferBookTests
{
    [Fact]
    public void Grants_NeverExceedWhatIsFree()
    {
        var book = new OfferBook { CapacityKg = 1000 };

        var grants = Enumerable.Range(0, 12).Select(i => book.Allocate($"d{i}", "buyer", 1, 500, true, Now)).ToList();

        Assert.Equal([500m, 500m], grants.Where(g => g.GrantedKg > 0).Select(g => g.GrantedKg));
        Assert.Equal(1000, book.AllocatedKg);
        Assert.Equal(0, book.FreeKg);
        Assert.Equal(2, book.Allocations.Count);
    }

    [Fact]
    public void AnAttemptIsAnsweredOnce_AndAnOlderAttemptGetsNothing()
    {
        var book = new OfferBook { CapacityKg = 1000 };
        var first = book.Allocate("d1", "buyer", 1, 300, true, Now);
        var again = book.Allocate("d1", "buyer", 1, 300, true, Now);

        Assert.Equal(new AllocationGrant(300, 300, true), first);
        Assert.Equal(new AllocationGrant(300, 300, false), again);

        var next = book.Allocate("d1", "buyer", 2, 200, true, Now);
        Assert.Equal(new AllocationGrant(200, 500, true), next);
        Assert.Equal(new AllocationGrant(0, 500, false), book.Allocate("d1", "buyer", 1, 300, true, Now));
        Assert.Equal(500, book.HeldFor("d1"));
    }

    [Fact]
    public void ARefusedAttempt_StaysRefused_EvenOnceKilogramsAreFree()
    {
        var book = new OfferBook { CapacityKg = 100 };
        book.Allocate("d1", "buyer", 1, 100, true, Now);
        Assert.Equal(0, book.Allocate("d2", "buyer", 1, 50, true, Now).GrantedKg);

        book.Release("d1");

        Assert.Equal(0, book.Allocate("d2", "buyer", 1, 50, true, Now).GrantedKg);
        Assert.Equal(50, book.Allocate("d2", "buyer", 2, 50, true, Now).GrantedKg);
    }

    [Fact]
    public void Release_GivesBack_AndRefusesTheDemandAfterwards()
    {
        var book = new OfferBook { CapacityKg = 1000 };
        book.Allocate("d1", "buyer", 1, 400, true, Now);

        Assert.Equal(400, book.Release("d1"));
        Assert.Equal(0, book.Release("d1"));
        Assert.Equal(1000, book.FreeKg);
        Assert.Equal(new AllocationGrant(0, 0, false), book.Allocate("d1", "buyer", 5, 400, true, Now));
    }

    [Fact]
    public void IneligibleDemand_GetsNothing()
    {
        var book = new OfferBook { CapacityKg = 1000 };

        Assert.Equal(0, book.Allocate("d1", "buyer", 1, 400, false, Now).GrantedKg);
        Assert.Equal(1000, book.FreeKg);
    }

    [Fact]
    public void Resize_TakesBackFromTheNewestAllocationsFirst()
    {
        var book = new OfferBook { CapacityKg = 1000 };
        book.Allocate("old", "b1", 1, 500, true, Now);
        book.Allocate("mid", "b2", 1, 300, true, Now);
        book.Allocate("new", "b3", 1, 100, true, Now);

        var cuts = book.Resize(600);

        Assert.Equal([new AllocationCut("new", "b3", 100, 0), new AllocationCut("mid", "b2", 200, 100)], cuts);
        Assert.Equal(600, book.AllocatedKg);
        Assert.Equal(0, book.FreeKg);
        Assert.Empty(book.Resize(900));
        Assert.Equal(300, book.FreeKg);
    }
}
