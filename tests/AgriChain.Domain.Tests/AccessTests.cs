using AgriChain.Domain.Access;
using AgriChain.Domain.Common;

namespace AgriChain.Domain.Tests;

public sealed class AccessTests
{
    private static readonly FarmRef FarmOfA = new("farm-a1", "coop-a");

    private static Caller Technician(params string[] farms) => new(Role.Technician, farms.ToHashSet(), null, null);

    [Fact]
    public void Admin_ReadsAndManagesEverything()
    {
        var admin = new Caller(Role.Admin, new HashSet<string>(), null, null);
        Assert.True(admin.CanRead(FarmOfA));
        Assert.True(admin.CanManage(FarmOfA));
        Assert.True(admin.CanRead(new CooperativeRef("coop-b")));
        Assert.True(admin.CanReadBuyer("any"));
    }

    [Fact]
    public void Cooperative_ManagesOwnFarmsOnly()
    {
        var coopA = new Caller(Role.Cooperative, new HashSet<string>(), "coop-a", null);
        Assert.True(coopA.CanManage(FarmOfA));
        Assert.True(coopA.CanRead(FarmOfA));
        Assert.False(coopA.CanManage(new FarmRef("farm-b1", "coop-b")));
        Assert.False(coopA.CanRead(new FarmRef("farm-b1", "coop-b")));
        Assert.True(coopA.CanRead(new CooperativeRef("coop-a")));
        Assert.False(coopA.CanRead(new CooperativeRef("coop-b")));
    }

    [Fact]
    public void Technician_WorksOnListedFarmsButManagesNothing()
    {
        var tech = Technician("farm-a1");
        Assert.True(tech.CanRead(FarmOfA));
        Assert.True(tech.CanWorkOn(FarmOfA));
        Assert.False(tech.CanManage(FarmOfA));
        Assert.False(tech.CanWorkOn(new FarmRef("farm-a2", "coop-a")));
    }

    [Fact]
    public void Buyer_ReadsItselfOnly()
    {
        var buyer = new Caller(Role.Buyer, new HashSet<string>(), null, "fresh-mart");
        Assert.True(buyer.CanReadBuyer("fresh-mart"));
        Assert.False(buyer.CanReadBuyer("other-mart"));
        Assert.False(buyer.CanRead(FarmOfA));
        Assert.False(buyer.CanManage(FarmOfA));
    }

    [Fact]
    public void TechnicianGrant_NeedsFarmsAndNoOtherScope()
    {
        var errors = new FieldErrors();
        var grant = KeyGrant.Validate("technician", ["farm-2", "farm-1", "farm-2"], null, null, "Li's phone", errors);
        Assert.True(errors.IsEmpty);
        Assert.Equal(["farm-1", "farm-2"], grant!.FarmIds);

        errors = new FieldErrors();
        Assert.Null(KeyGrant.Validate("technician", [], "coop-a", null, "x", errors));
        Assert.Equal(["farmIds", "cooperativeId"], errors.ToDictionary().Keys);
    }

    [Fact]
    public void Grant_ListsEveryBadField()
    {
        var errors = new FieldErrors();
        Assert.Null(KeyGrant.Validate("owner", ["Bad Id"], null, "b", null, errors));
        var all = errors.ToDictionary();
        Assert.Contains("role", all.Keys);
        Assert.Contains("label", all.Keys);
        Assert.Contains("farmIds[0]", all.Keys);
        Assert.Contains("buyerId", all.Keys);
    }

    [Fact]
    public void CooperativeAndBuyerGrants_NeedTheirIds()
    {
        var errors = new FieldErrors();
        Assert.Null(KeyGrant.Validate("cooperative", null, null, null, "office", errors));
        Assert.Equal(["is required"], errors.ToDictionary()["cooperativeId"]);

        errors = new FieldErrors();
        var buyer = KeyGrant.Validate("buyer", null, null, "fresh-mart", "purchasing", errors);
        Assert.Equal(Role.Buyer, buyer!.Role);
        Assert.Equal("fresh-mart", buyer.BuyerId);
    }
}
