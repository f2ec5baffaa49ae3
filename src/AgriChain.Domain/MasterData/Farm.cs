namespace AgriChain.Domain.MasterData;

/// <summary>What a farm grows on: it decides which harvest paths apply.</summary>
[GenerateSerializer]
public enum FarmKind
{
    /// <summary>Heated or plastic greenhouses (nectarines).</summary>
    Greenhouse = 0,

    /// <summary>Orchards (persimmons).</summary>
    Orchard = 1,

    /// <summary>Forest plots (forsythia with free-range chickens).</summary>
    ForestPlot = 2,

    /// <summary>Several of the above.</summary>
    Mixed = 3,
}

/// <summary>A farm's master data. The cooperative is fixed once the farm exists.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.farm-profile")]
public sealed record FarmProfile(
    [property: Id(0)] string Name,
    [property: Id(1)] string CooperativeId,
    [property: Id(2)] Region Region,
    [property: Id(3)] FarmKind Kind,
    [property: Id(4)] string TimeZone)
{
    /// <summary>The farm-local time zone used when none is given: all our villages are in Shanxi.</summary>
    public const string DefaultTimeZone = "Asia/Shanghai";
}
