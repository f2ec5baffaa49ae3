namespace AgriChain.Domain.Market;

/// <summary>Kilograms planned from one offer for a demand.</summary>
public sealed record PlannedFill(SupplyEntry Offer, decimal QuantityKg);

/// <summary>
/// The market's matching rules. An offer is eligible for a demand when it is in the market and still available,
/// sells the same product at a grade at least as good, at a price within the buyer's limit, is available by the
/// buyer's date and lies inside the buyer's region. Eligible offers are taken cheapest first, then earliest
/// available, then oldest (then by id, so the order is total), and a demand fills across offers and villages.
/// </summary>
public static class Matching
{
    /// <summary>Cheapest, then earliest available, then oldest, then by offer id.</summary>
    public static readonly IComparer<SupplyEntry> Order = Comparer<SupplyEntry>.Create((x, y) =>
    {
        var c = x.PricePerKg.CompareTo(y.PricePerKg);
        if (c == 0)
        {
            c = x.AvailableFrom.CompareTo(y.AvailableFrom);
        }

        if (c == 0)
        {
            c = x.CreatedAt.CompareTo(y.CreatedAt);
        }

        return c != 0 ? c : string.CompareOrdinal(x.OfferId, y.OfferId);
    });

    public static bool IsEligible(SupplyEntry offer, DemandTerms demand, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(demand);
        return offer.Active
            && offer.AvailableTo >= now
            && offer.Product == demand.Product
            && MarketGrades.AtLeast(offer.Grade, demand.Grade)
            && offer.PricePerKg <= demand.MaxPricePerKg
            && offer.AvailableFrom <= demand.DeliverBy
            && (demand.County is null || offer.Region.County == demand.County)
            && (demand.Township is null || offer.Region.Township == demand.Township);
    }

    /// <summary>The eligible offers that have something free, in matching order.</summary>
    public static IReadOnlyList<SupplyEntry> Candidates(IEnumerable<SupplyEntry> offers, DemandTerms demand, DateTimeOffset now) =>
        [.. offers.Where(o => o.FreeKg > 0 && IsEligible(o, demand, now)).Order(Order)];

    /// <summary>
    /// How <paramref name="needKg"/> fills from <paramref name="offers"/> as they stand: each candidate in order gives
    /// what it has free until the need is met. What is left unplanned is the demand's unmatched quantity.
    /// </summary>
    public static IReadOnlyList<PlannedFill> Plan(IEnumerable<SupplyEntry> offers, DemandTerms demand, decimal needKg, DateTimeOffset now)
    {
        var fills = new List<PlannedFill>();
        foreach (var offer in Candidates(offers, demand, now))
        {
            if (needKg <= 0)
            {
                break;
            }

            var take = Math.Min(needKg, offer.FreeKg);
            fills.Add(new PlannedFill(offer, take));
            needKg -= take;
        }

        return fills;
    }
}
