using AgriChain.Contracts.Greenhouses;
using AgriChain.Contracts.MasterData;
using AgriChain.Domain.Common;
using AgriChain.Domain.MasterData;

namespace AgriChain.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class MasterDataGrainTests(ClusterFixture fixture)
{
    private static readonly Region Wenxi = new("Xibeizhuang", "Dongzhen", "Wenxi");

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..30];

    private async Task<string> CreateCooperativeAsync()
    {
        var id = NewId("coop");
        var result = await fixture.Grains.GetGrain<ICooperativeGrain>(id).PutAsync(new CooperativeProfile("Xibeizhuang Co-op", Wenxi));
        Assert.Equal(UpsertOutcome.Created, result.Outcome);
        return id;
    }

    private static FarmProfile Farm(string cooperativeId) =>
        new("Nectarine park", cooperativeId, Wenxi, FarmKind.Greenhouse, FarmProfile.DefaultTimeZone);

    [Fact]
    public async Task Cooperative_CreatedThenUnchangedThenUpdated_AndTimestamped()
    {
        var id = NewId("coop");
        var grain = fixture.Grains.GetGrain<ICooperativeGrain>(id);
        var profile = new CooperativeProfile("Xibeizhuang Co-op", Wenxi);

        var created = await grain.PutAsync(profile);
        var again = await grain.PutAsync(profile with { });
        var renamed = await grain.PutAsync(profile with { Name = "Xibeizhuang Fruit Co-op" });

        Assert.Equal(UpsertOutcome.Created, created.Outcome);
        Assert.Equal(UpsertOutcome.Unchanged, again.Outcome);
        Assert.Equal(UpsertOutcome.Updated, renamed.Outcome);
        Assert.Equal(ClusterFixture.Clock.GetUtcNow(), created.Value!.CreatedAt);
        Assert.Equal("Xibeizhuang Fruit Co-op", (await grain.GetAsync())!.Profile.Name);
    }

    [Fact]
    public async Task UnknownResources_ReadAsNull()
    {
        Assert.Null(await fixture.Grains.GetGrain<ICooperativeGrain>(NewId("none")).GetAsync());
        Assert.Null(await fixture.Grains.GetGrain<IFarmGrain>(NewId("none")).GetAsync());
        Assert.Null(await fixture.Grains.GetGrain<IGreenhouseGrain>(NewId("none")).GetAsync());
        Assert.Null(await fixture.Grains.GetGrain<IBuyerGrain>(NewId("none")).GetAsync());
    }

    [Fact]
    public async Task Farm_OfUnknownCooperative_IsRefusedAndNotStored()
    {
        var id = NewId("farm");
        var farm = fixture.Grains.GetGrain<IFarmGrain>(id);

        var result = await farm.PutAsync(Farm("no-such-coop"));

        Assert.Equal(UpsertOutcome.MissingReference, result.Outcome);
        Assert.Equal("cooperativeId", result.Field);
        Assert.Null(await farm.GetAsync());
    }

    [Fact]
    public async Task Farm_IsListedByItsCooperative_AndCannotMoveToAnother()
    {
        var coop = await CreateCooperativeAsync();
        var other = await CreateCooperativeAsync();
        var id = NewId("farm");
        var farm = fixture.Grains.GetGrain<IFarmGrain>(id);

        Assert.Equal(UpsertOutcome.Created, (await farm.PutAsync(Farm(coop))).Outcome);
        var moved = await farm.PutAsync(Farm(other));

        Assert.Equal(UpsertOutcome.Conflict, moved.Outcome);
        Assert.Equal("cooperativeId", moved.Field);
        Assert.Equal(coop, (await farm.GetAsync())!.Profile.CooperativeId);
        Assert.Equal([id], (await fixture.Grains.GetGrain<ICooperativeGrain>(coop).GetAsync())!.FarmIds);
        Assert.Empty((await fixture.Grains.GetGrain<ICooperativeGrain>(other).GetAsync())!.FarmIds);
    }

    [Fact]
    public async Task Greenhouse_JoinsItsFarm_CarriesTheCooperative_AndSurvivesDeactivation()
    {
        var coop = await CreateCooperativeAsync();
        var farmId = NewId("farm");
        await fixture.Grains.GetGrain<IFarmGrain>(farmId).PutAsync(Farm(coop));
        var id = NewId("gh");
        var greenhouse = fixture.Grains.GetGrain<IGreenhouseGrain>(id);
        var profile = new GreenhouseProfile(farmId, "House 7", "nectarine", "Zhongyou 4", 1.2m);

        Assert.Equal(UpsertOutcome.Created, (await greenhouse.PutAsync(profile)).Outcome);
        Assert.Equal(UpsertOutcome.Unchanged, (await greenhouse.PutAsync(profile with { })).Outcome);
        await fixture.DeactivateAllAsync();

        var view = await greenhouse.GetAsync();
        Assert.NotNull(view);
        Assert.Equal(profile, view.Profile);
        Assert.Equal(coop, view.CooperativeId);
        Assert.Null(view.Stage);
        Assert.Equal([id], (await fixture.Grains.GetGrain<IFarmGrain>(farmId).GetAsync())!.GreenhouseIds);
    }

    [Fact]
    public async Task Greenhouse_OnUnknownFarm_IsRefused_AndCannotMoveFarms()
    {
        var id = NewId("gh");
        var greenhouse = fixture.Grains.GetGrain<IGreenhouseGrain>(id);
        var missing = await greenhouse.PutAsync(new GreenhouseProfile("no-such-farm", "House 1", "nectarine", "x", 1m));
        Assert.Equal(UpsertOutcome.MissingReference, missing.Outcome);
        Assert.Equal("farmId", missing.Field);
        Assert.Null(await greenhouse.GetAsync());

        var coop = await CreateCooperativeAsync();
        var farmA = NewId("farm");
        var farmB = NewId("farm");
        await fixture.Grains.GetGrain<IFarmGrain>(farmA).PutAsync(Farm(coop));
        await fixture.Grains.GetGrain<IFarmGrain>(farmB).PutAsync(Farm(coop));
        await greenhouse.PutAsync(new GreenhouseProfile(farmA, "House 1", "nectarine", "x", 1m));

        var moved = await greenhouse.PutAsync(new GreenhouseProfile(farmB, "House 1", "nectarine", "x", 1m));

        Assert.Equal(UpsertOutcome.Conflict, moved.Outcome);
        Assert.Empty((await fixture.Grains.GetGrain<IFarmGrain>(farmB).GetAsync())!.GreenhouseIds);
    }

    [Fact]
    public async Task Buyer_RoundTrips()
    {
        var id = NewId("buyer");
        var grain = fixture.Grains.GetGrain<IBuyerGrain>(id);
        await grain.PutAsync(new BuyerProfile("Fresh Mart", "Taiyuan"));
        await fixture.DeactivateAllAsync();
        Assert.Equal(new BuyerProfile("Fresh Mart", "Taiyuan"), (await grain.GetAsync())!.Profile);
    }
}
