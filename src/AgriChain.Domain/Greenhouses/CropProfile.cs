namespace AgriChain.Domain.Greenhouses;

/// <summary>The band a stage should stay in; a null bound is open.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.stage-thresholds")]
public sealed record StageThresholds(
    [property: Id(0)] double? MinTemperatureC,
    [property: Id(1)] double? MaxTemperatureC,
    [property: Id(2)] double? MinHumidityPct,
    [property: Id(3)] double? MaxHumidityPct)
{
    public static readonly StageThresholds Open = new(null, null, null, null);
}

/// <summary>
/// What a crop needs at each stage, and what it should yield. Editable by admins; the built-in profiles are the
/// starting point (see <see cref="BuiltInCropProfiles"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("agrichain.crop-profile")]
public sealed record CropProfile(
    [property: Id(0)] string Crop,
    [property: Id(1)] IReadOnlyDictionary<GrowthStage, StageThresholds> Stages,
    [property: Id(2)] decimal TargetYieldKgPerMu,
    [property: Id(3)] int DaysBloomToHarvest,
    [property: Id(4)] int SilentAfterMinutes,
    [property: Id(5)] int Version,
    [property: Id(6)] YieldModel? Yield = null,
    [property: Id(7)] IReadOnlyList<GrowthStage>? HarvestStages = null)
{
    /// <summary>The yield model in force: the profile's own, or the defaults.</summary>
    public YieldModel YieldModel => Yield ?? YieldModel.Default;

    /// <summary>
    /// Whether produce can be harvested in <paramref name="stage"/>: any stage when the profile does not say, and
    /// when nobody recorded the greenhouse's stage (the technician knows better than an empty field).
    /// </summary>
    public bool CanHarvestIn(GrowthStage? stage) =>
        HarvestStages is null || HarvestStages.Count == 0 || stage is not { } s || HarvestStages.Contains(s);

    /// <summary>The thresholds of <paramref name="stage"/>; open when the profile says nothing about it.</summary>
    public StageThresholds For(GrowthStage stage) => Stages.TryGetValue(stage, out var t) ? t : StageThresholds.Open;

    /// <summary>Stages in which a greenhouse is expected to report; silence then raises an alert.</summary>
    public static bool IsActive(GrowthStage stage) => stage is not (GrowthStage.Dormant or GrowthStage.PostHarvest);
}

/// <summary>Profiles AgriChain knows without configuration.</summary>
public static class BuiltInCropProfiles
{
    /// <summary>
    /// Heated-greenhouse nectarine (油桃) as grown in southern Shanxi. Bands follow common protected-cultivation
    /// practice for peaches and nectarines in northern China: chilling below about 7 °C while dormant; a gentle
    /// warm-up from budbreak; a hard 10 °C night floor from flowering through fruit growth (pollen tubes and fruit
    /// set fail below it) with day tops around 25 °C in flowering; drier air (50-70 %RH) in flowering so anthers
    /// dehisce and pollen spreads; warmer, drier days while ripening for sugar. Target 1,500 kg/mu; about 100
    /// days from full bloom to harvest for the early varieties grown under cover here.
    /// </summary>
    public static readonly CropProfile Nectarine = new(
        "nectarine",
        new Dictionary<GrowthStage, StageThresholds>
        {
            [GrowthStage.Dormant] = new(-5, 10, null, null),
            [GrowthStage.Budbreak] = new(5, 25, 60, 85),
            [GrowthStage.Flowering] = new(10, 25, 50, 70),
            [GrowthStage.FruitSet] = new(10, 28, 50, 75),
            [GrowthStage.FruitGrowth] = new(10, 30, 50, 80),
            [GrowthStage.Ripening] = new(10, 32, 45, 75),
            [GrowthStage.Harvest] = new(5, 32, null, null),
            [GrowthStage.PostHarvest] = new(-5, 35, null, null),
        },
        TargetYieldKgPerMu: 1500m,
        DaysBloomToHarvest: 100,
        SilentAfterMinutes: 30,
        Version: 0,
        Yield: YieldModel.Default,
        HarvestStages: [GrowthStage.FruitGrowth, GrowthStage.Ripening, GrowthStage.Harvest, GrowthStage.PostHarvest]);

    private static readonly Dictionary<string, CropProfile> ByCrop = new(StringComparer.Ordinal)
    {
        [Nectarine.Crop] = Nectarine,
    };

    public static CropProfile? Find(string crop) => ByCrop.GetValueOrDefault(crop);
}
