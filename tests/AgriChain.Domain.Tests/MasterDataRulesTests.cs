using AgriChain.Domain.Common;
using AgriChain.Domain.MasterData;

namespace AgriChain.Domain.Tests;

public sealed class MasterDataRulesTests
{
    private static readonly Region Village = new("Xibeizhuang", "Dongzhen", "Wenxi");
    private static readonly FarmProfile Farm = new("North orchard", "xbz-coop", Village, FarmKind.Orchard, FarmProfile.DefaultTimeZone);
    private static readonly GreenhouseProfile Greenhouse = new("farm-1", "House 7", "nectarine", "Zhongyou 4", 1.2m);

    [Fact]
    public void NewFarm_IsCreated() => Assert.Equal(UpsertOutcome.Created, MasterDataRules.Decide(null, Farm).Outcome);

    [Fact]
    public void SameFarmAgain_IsUnchangedAndWritesNothing()
    {
        var decision = MasterDataRules.Decide(Farm, Farm with { });
        Assert.Equal(UpsertOutcome.Unchanged, decision.Outcome);
        Assert.False(decision.Writes);
    }

    [Fact]
    public void RenamedFarm_IsUpdated() =>
        Assert.Equal(UpsertOutcome.Updated, MasterDataRules.Decide(Farm, Farm with { Name = "South orchard" }).Outcome);

    [Fact]
    public void FarmMovingToAnotherCooperative_Conflicts()
    {
        var decision = MasterDataRules.Decide(Farm, Farm with { CooperativeId = "other-coop" });
        Assert.Equal(UpsertOutcome.Conflict, decision.Outcome);
        Assert.Equal("cooperativeId", decision.Field);
        Assert.Contains("xbz-coop", decision.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void GreenhouseMovingToAnotherFarm_Conflicts()
    {
        var decision = MasterDataRules.Decide(Greenhouse, Greenhouse with { FarmId = "farm-2" });
        Assert.Equal(UpsertOutcome.Conflict, decision.Outcome);
        Assert.Equal("farmId", decision.Field);
    }

    [Fact]
    public void GreenhouseAreaChange_IsUpdated() =>
        Assert.Equal(UpsertOutcome.Updated, MasterDataRules.Decide(Greenhouse, Greenhouse with { AreaMu = 1.5m }).Outcome);

    [Fact]
    public void CooperativeProfiles_CreateUpdateOrStayUnchanged()
    {
        var coop = new CooperativeProfile("Xibeizhuang Cooperative", Village);
        Assert.Equal(UpsertOutcome.Created, MasterDataRules.Decide<CooperativeProfile>(null, coop).Outcome);
        Assert.Equal(UpsertOutcome.Unchanged, MasterDataRules.Decide(coop, coop with { }).Outcome);
        Assert.Equal(UpsertOutcome.Updated, MasterDataRules.Decide(coop, coop with { Name = "New name" }).Outcome);
    }
}
