using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.MasterData;
using Orleans.Concurrency;

namespace AgriChain.Contracts.Yields;

/// <summary>A harvest of a greenhouse: kilograms of the crop, graded, with the batch it became.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.greenhouse-harvest")]
public sealed record GreenhouseHarvest(
    [property: Id(0)] string Id,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] decimal QuantityKg,
    [property: Id(3)] string Grade,
    [property: Id(4)] string BatchId);

/// <summary>A harvest of orchard or forest-plot produce on a farm.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.farm-harvest")]
public sealed record FarmHarvest(
    [property: Id(0)] string Id,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Product,
    [property: Id(3)] decimal Quantity,
    [property: Id(4)] string Unit,
    [property: Id(5)] string Grade,
    [property: Id(6)] string BatchId,
    [property: Id(7)] string? Plot);

[GenerateSerializer]
public enum HarvestOutcome
{
    Created = 0,
    Unchanged = 1,

    /// <summary>The harvest id exists with other content, or the batch id is another batch's.</summary>
    Conflict = 2,

    /// <summary>The harvest breaks a rule (a stage in which nothing is harvested); <see cref="HarvestResult.Field"/> says which.</summary>
    Invalid = 3,

    NotFound = 4,
}

[GenerateSerializer, Immutable, Alias("agrichain.harvest-result")]
public sealed record HarvestResult(
    [property: Id(0)] HarvestOutcome Outcome,
    [property: Id(1)] int Season,
    [property: Id(2)] string? Field = null,
    [property: Id(3)] string? Detail = null);

/// <summary>A greenhouse's yield in one season, with its forecast.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.greenhouse-yield")]
public sealed record GreenhouseYield(
    [property: Id(0)] int Season,
    [property: Id(1)] decimal HarvestedKg,
    [property: Id(2)] decimal AreaMu,
    [property: Id(3)] decimal KgPerMu,
    [property: Id(4)] decimal TargetKgPerMu,
    [property: Id(5)] QuantityForecast? Quantity,
    [property: Id(6)] HarvestWindow? Window,
    [property: Id(7)] ColdExposure ColdExposure,
    [property: Id(8)] double? ChillHours);

/// <summary>One greenhouse's line in a yield rollup.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.yield-entry")]
public sealed record YieldEntry(
    [property: Id(0)] string GreenhouseId,
    [property: Id(1)] string FarmId,
    [property: Id(2)] Region Region,
    [property: Id(3)] decimal AreaMu,
    [property: Id(4)] decimal HarvestedKg,
    [property: Id(5)] decimal ForecastKg);

/// <summary>A rollup's totals.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.yield-totals")]
public sealed record YieldTotals(
    [property: Id(0)] int Season,
    [property: Id(1)] decimal HarvestedKg,
    [property: Id(2)] decimal AreaMu,
    [property: Id(3)] decimal KgPerMu,
    [property: Id(4)] decimal ForecastKg,
    [property: Id(5)] int Greenhouses);

/// <summary>
/// Season yields of one scope (key: <c>{season}/farm/{id}</c>, <c>{season}/village/{name}</c>,
/// <c>{season}/township/{name}</c>, <c>{season}/county/{name}</c>, <c>{season}/all</c>), kept current by greenhouses.
/// </summary>
[Alias("agrichain.yield-rollup")]
public interface IYieldRollupGrain : IGrainWithStringKey
{
    [Alias("apply")]
    Task ApplyAsync(YieldEntry entry);

    /// <summary>Totals over the entries that match the optional region filters.</summary>
    [Alias("totals"), ReadOnly]
    Task<YieldTotals> GetTotalsAsync(string? village, string? township, string? county);
}

public static class YieldRollupKeys
{
    public static string Farm(int season, string farmId) => $"{season}/farm/{farmId}";

    public static string Village(int season, string village) => $"{season}/village/{village}";

    public static string Township(int season, string township) => $"{season}/township/{township}";

    public static string County(int season, string county) => $"{season}/county/{county}";

    public static string All(int season) => $"{season}/all";

    public static IEnumerable<string> For(int season, string farmId, Region region) =>
        [Farm(season, farmId), Village(season, region.Village), Township(season, region.Township), County(season, region.County), All(season)];
}
