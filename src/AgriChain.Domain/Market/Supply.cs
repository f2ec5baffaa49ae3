using AgriChain.Domain.MasterData;

namespace AgriChain.Domain.Market;

/// <summary>
/// Which supply counts: one product, optionally a grade at least as good, available by a moment, inside a village,
/// township or county, and (for buyers who care) only lots without a cold event. Expired offers never count.
/// </summary>
[GenerateSerializer, Immutable, Alias("agrichain.supply-filter")]
public sealed record SupplyFilter(
    [property: Id(0)] string Product,
    [property: Id(1)] string? Grade = null,
    [property: Id(2)] DateTimeOffset? AvailableBy = null,
    [property: Id(3)] string? Village = null,
    [property: Id(4)] string? Township = null,
    [property: Id(5)] string? County = null,
    [property: Id(6)] bool ExcludeColdEvents = false)
{
    public bool Matches(SupplyEntry entry, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Active
            && entry.AvailableTo >= now
            && entry.Product == Product
            && (Grade is null || MarketGrades.AtLeast(entry.Grade, Grade))
            && (AvailableBy is not { } by || entry.AvailableFrom <= by)
            && (Village is null || entry.Region.Village == Village)
            && (Township is null || entry.Region.Township == Township)
            && (County is null || entry.Region.County == County)
            && !(ExcludeColdEvents && entry.ColdEvent);
    }
}

/// <summary>Free supply of one village: kilograms on hand and forecast, the lowest price, and how many offers.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.village-supply")]
public sealed record VillageSupply(
    [property: Id(0)] Region Region,
    [property: Id(1)] decimal OnHandKg,
    [property: Id(2)] decimal ForecastKg,
    [property: Id(3)] decimal? MinPricePerKg,
    [property: Id(4)] int Offers)
{
    public decimal TotalKg => OnHandKg + ForecastKg;
}

/// <summary>Supply arithmetic: only free kilograms of matching offers count.</summary>
public static class SupplyMath
{
    /// <summary>The free kilograms of the entries that match.</summary>
    public static decimal FreeKg(IEnumerable<SupplyEntry> entries, SupplyFilter filter, DateTimeOffset now) =>
        entries.Where(e => e.FreeKg > 0 && filter.Matches(e, now)).Sum(e => e.FreeKg);

    /// <summary>Per village, the matching entries that still have something free.</summary>
    public static IReadOnlyList<VillageSupply> ByVillage(IEnumerable<SupplyEntry> entries, SupplyFilter filter, DateTimeOffset now) =>
        Merge(entries.Where(e => e.FreeKg > 0 && filter.Matches(e, now)).Select(e => new VillageSupply(e.Region,
            e.Kind == OfferKind.OnHand ? e.FreeKg : 0, e.Kind == OfferKind.Forecast ? e.FreeKg : 0, e.PricePerKg, 1)));

    /// <summary>Adds up lines of the same village (the partitions of a query answer separately), ordered by place.</summary>
    public static IReadOnlyList<VillageSupply> Merge(IEnumerable<VillageSupply> lines) =>
        [.. lines.GroupBy(l => l.Region)
            .Select(g => new VillageSupply(g.Key, g.Sum(l => l.OnHandKg), g.Sum(l => l.ForecastKg),
                g.Min(l => l.MinPricePerKg), g.Sum(l => l.Offers)))
            .OrderBy(l => l.Region.County, StringComparer.Ordinal)
            .ThenBy(l => l.Region.Township, StringComparer.Ordinal)
            .ThenBy(l => l.Region.Village, StringComparer.Ordinal)];
}
