using AgriChain.Domain.Access;
using AgriChain.Domain.Notifications;

namespace AgriChain.Domain.Tests.Notifications;

public sealed class AlertStreamAccessTests
{
    private static readonly HashSet<string> NoFarms = [];

    [Fact]
    public void Admin_SeesEverything()
    {
        var admin = new Caller(Role.Admin, NoFarms, null, null);
        Assert.True(AlertStreamAccess.CanOpen(admin));
        Assert.True(AlertStreamAccess.CanSee(admin, "any-coop", "any-farm"));
    }

    [Fact]
    public void Cooperative_SeesItsOwnFarmsOnly()
    {
        var coop = new Caller(Role.Cooperative, NoFarms, "xibeizhuang", null);
        Assert.True(AlertStreamAccess.CanSee(coop, "xibeizhuang", "xbz-park"));
        Assert.False(AlertStreamAccess.CanSee(coop, "dongzhen", "dz-park"));
    }

    [Fact]
    public void Technician_SeesTheFarmsOfItsKey()
    {
        var technician = new Caller(Role.Technician, new HashSet<string> { "xbz-park" }, null, null);
        Assert.True(AlertStreamAccess.CanSee(technician, "xibeizhuang", "xbz-park"));
        Assert.False(AlertStreamAccess.CanSee(technician, "xibeizhuang", "xbz-orchard"));
    }

    [Fact]
    public void Buyer_CannotOpenTheStream()
    {
        var buyer = new Caller(Role.Buyer, NoFarms, null, "fresh-mart");
        Assert.False(AlertStreamAccess.CanOpen(buyer));
        Assert.False(AlertStreamAccess.CanSee(buyer, "xibeizhuang", "xbz-park"));
    }
}
