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

/// <summary>
/// The sums of one village (by its whole region) in a season, as its village rollup tells the township, county and
/// all-villages rollups; <see cref="Version"/> grows with every change of the village rollup, so a stale or repeated
/// line changes nothing.
/// </summary>
[GenerateSerializer, Immutable, Alias("agrichain.region-yield")]
public sealed record RegionYield(
    [property: Id(0)] Region Region,
    [property: Id(1)] decimal AreaMu,
    [property: Id(2)] decimal HarvestedKg,
    [property: Id(3)] decimal ForecastKg,
    [property: Id(4)] int Greenhouses,
    [property: Id(5)] long Version);

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
/// <c>{season}/township/{name}</c>, <c>{season}/county/{name}</c>, <c>{season}/all</c>). Farm and village rollups keep
/// a line per greenhouse, told by the greenhouses; a village rollup passes its sums on to the township, county and
/// all-villages rollups, which keep a line per village, so no rollup grows with every greenhouse of a county.
/// </summary>
[Alias("agrichain.yield-rollup")]
public interface IYieldRollupGrain : IGrainWithStringKey
{
    /// <summary>A greenhouse's line (farm and village rollups; the others hand it to its village rollup).</summary>
    [Alias("apply")]
    Task ApplyAsync(YieldEntry entry);

    /// <summary>
    /// A village's sums (township, county and all-villages rollups). Interleaves: the sums that arrive while a write is
    /// in flight share the next write.
    /// </summary>
    [Alias("apply-region"), AlwaysInterleave]
    Task ApplyRegionAsync(RegionYield yield);

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

    /// <summary>The rollups a greenhouse tells its line: its farm's and its village's.</summary>
    public static IEnumerable<string> For(int season, string farmId, Region region) =>
        [Farm(season, farmId), Village(season, region.Village)];

    /// <summary>The rollups a village rollup tells the sums of <paramref name="region"/>.</summary>
    public static IEnumerable<string> Above(int season, Region region) =>
        [Township(season, region.Township), County(season, region.County), All(season)];
}
