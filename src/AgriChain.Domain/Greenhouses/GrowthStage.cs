namespace AgriChain.Domain.Greenhouses;

/// <summary>The phenological stages of a crop cycle, in order.</summary>
[GenerateSerializer]
public enum GrowthStage
{
    Dormant = 0,
    Budbreak = 1,
    Flowering = 2,
    FruitSet = 3,
    FruitGrowth = 4,
    Ripening = 5,
    Harvest = 6,
    PostHarvest = 7,
}
