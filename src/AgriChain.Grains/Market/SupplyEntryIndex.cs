using System.Runtime.InteropServices;
using AgriChain.Domain.Market;
using AgriChain.Domain.MasterData;

namespace AgriChain.Grains.Market;

/// <summary>
/// One supply index's entries in memory, arranged for its two questions. Per village (and product), each entry's
/// figures copied side by side into one array (free kilograms, price, dates as ticks, grade rank, flags), so a supply
/// query looks only at the villages its filter allows and reads their arrays straight through, without following a
/// reference per offer (with tens of thousands of offers that pointer chasing, one cache miss an offer, was most of a
/// query's time). In matching order, holding only the entries a demand could be given kilograms of (active,
/// something free), so a demand's candidates are the first eligible ones and the search stops at its price limit.
/// It answers exactly what <see cref="SupplyMath"/> and <see cref="Matching"/> answer over the same entries; they
/// scan and sort every entry on every question, which costs milliseconds once an index holds thousands of offers.
/// </summary>
internal sealed class SupplyEntryIndex
{
    private readonly Dictionary<string, (Village Village, int Position)> _byOffer = new(StringComparer.Ordinal);
    private readonly Dictionary<(Region Region, string Product), Village> _villages = [];
    private readonly SortedSet<SupplyEntry> _open = new(Matching.Order);

    public int Count => _byOffer.Count;

    public IEnumerable<SupplyEntry> Entries => _villages.Values.SelectMany(v => v.Items.Select(i => i.Entry));

    public SupplyEntry? Get(string offerId) =>
        _byOffer.TryGetValue(offerId, out var at) ? at.Village.Items[at.Position].Entry : null;

    /// <summary>Adds the entry, or replaces the one of the same offer.</summary>
    public void Set(SupplyEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (_byOffer.TryGetValue(entry.OfferId, out var at) && at.Village.Region == entry.Region
            && string.Equals(at.Village.Product, entry.Product, StringComparison.Ordinal))
        {
            _open.Remove(at.Village.Items[at.Position].Entry);
            at.Village.Items[at.Position] = new Item(entry);
        }
        else
        {
            Remove(entry.OfferId);
            if (!_villages.TryGetValue((entry.Region, entry.Product), out var village))
            {
                _villages[(entry.Region, entry.Product)] = village = new Village(entry.Region, entry.Product);
            }

            village.Items.Add(new Item(entry));
            _byOffer[entry.OfferId] = (village, village.Items.Count - 1);
        }

        if (entry.Active && entry.FreeKg > 0)
        {
            _open.Add(entry);
        }
    }

    public bool Remove(string offerId)
    {
        if (!_byOffer.Remove(offerId, out var at))
        {
            return false;
        }

        var items = at.Village.Items;
        _open.Remove(items[at.Position].Entry);
        var last = items.Count - 1;
        if (at.Position != last)
        {
            items[at.Position] = items[last];
            _byOffer[items[at.Position].Entry.OfferId] = (at.Village, at.Position);
        }

        items.RemoveAt(last);
        if (items.Count == 0)
        {
            _villages.Remove((at.Village.Region, at.Village.Product));
        }

        return true;
    }

    /// <summary>What <see cref="SupplyMath.ByVillage"/> answers: per village, the matching entries with something free.</summary>
    public IReadOnlyList<VillageSupply> ByVillage(SupplyFilter filter, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var lines = new List<VillageSupply>();
        foreach (var village in _villages.Values)
        {
            if (Tally(village, filter, now) is { Offers: > 0 } sum)
            {
                lines.Add(new VillageSupply(village.Region, sum.OnHandKg, sum.ForecastKg, sum.MinPricePerKg, sum.Offers));
            }
        }

        lines.Sort(static (x, y) =>
        {
            var c = string.CompareOrdinal(x.Region.County, y.Region.County);
            c = c != 0 ? c : string.CompareOrdinal(x.Region.Township, y.Region.Township);
            return c != 0 ? c : string.CompareOrdinal(x.Region.Village, y.Region.Village);
        });
        return lines;
    }

    /// <summary>What <see cref="SupplyMath.FreeKg"/> answers.</summary>
    public decimal FreeKg(SupplyFilter filter, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var kg = 0m;
        foreach (var village in _villages.Values)
        {
            if (Tally(village, filter, now) is { } sum)
            {
                kg += sum.OnHandKg + sum.ForecastKg;
            }
        }

        return kg;
    }

    /// <summary>What <see cref="Matching.Candidates"/> answers, the first <paramref name="limit"/> of them.</summary>
    public IReadOnlyList<SupplyEntry> Candidates(DemandTerms terms, DateTimeOffset now, int limit)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var candidates = new List<SupplyEntry>(Math.Clamp(limit, 0, 64));
        if (limit <= 0)
        {
            return candidates;
        }

        foreach (var entry in _open)
        {
            // Cheapest first: nothing after an entry above the buyer's limit can be eligible.
            if (entry.PricePerKg > terms.MaxPricePerKg)
            {
                break;
            }

            if (Matching.IsEligible(entry, terms, now))
            {
                candidates.Add(entry);
                if (candidates.Count == limit)
                {
                    break;
                }
            }
        }

        return candidates;
    }

    /// <summary>Entries past their last day.</summary>
    public List<SupplyEntry> Expired(DateTimeOffset now) => [.. Entries.Where(e => e.AvailableTo < now)];

    /// <summary>The village's entries that <paramref name="filter"/> counts (free kilograms only); null when the filter excludes the village.</summary>
    private static Sum? Tally(Village village, SupplyFilter filter, DateTimeOffset now)
    {
        var region = village.Region;
        if (!string.Equals(village.Product, filter.Product, StringComparison.Ordinal)
            || (filter.Village is not null && region.Village != filter.Village)
            || (filter.Township is not null && region.Township != filter.Township)
            || (filter.County is not null && region.County != filter.County))
        {
            return null;
        }

        // As MarketGrades.AtLeast: both grades must be known, the entry's at least as good.
        var graded = filter.Grade is not null;
        var wanted = graded ? MarketGrades.Rank(filter.Grade!) : int.MaxValue;
        var nowTicks = now.UtcTicks;
        var byTicks = filter.AvailableBy is { } by ? by.UtcTicks : long.MaxValue;
        var warmOnly = filter.ExcludeColdEvents;
        var sum = default(Sum);
        foreach (ref readonly var item in CollectionsMarshal.AsSpan(village.Items))
        {
            if (item.FreeKg <= 0 || !item.Active || item.AvailableToTicks < nowTicks
                || (graded && (item.GradeRank < 0 || item.GradeRank > wanted))
                || item.AvailableFromTicks > byTicks
                || (warmOnly && item.ColdEvent))
            {
                continue;
            }

            if (item.OnHand)
            {
                sum.OnHandKg += item.FreeKg;
            }
            else
            {
                sum.ForecastKg += item.FreeKg;
            }

            sum.MinPricePerKg = sum.MinPricePerKg is { } min && min <= item.PricePerKg ? min : item.PricePerKg;
            sum.Offers++;
        }

        return sum;
    }

    private struct Sum
    {
        public decimal OnHandKg;
        public decimal ForecastKg;
        public decimal? MinPricePerKg;
        public int Offers;
    }

    /// <summary>An entry and, beside it, the figures a supply query reads (times as UTC ticks, as DateTimeOffset compares them).</summary>
    private readonly struct Item(SupplyEntry entry)
    {
        public SupplyEntry Entry { get; } = entry;

        public decimal FreeKg { get; } = entry.FreeKg;

        public decimal PricePerKg { get; } = entry.PricePerKg;

        public long AvailableFromTicks { get; } = entry.AvailableFrom.UtcTicks;

        public long AvailableToTicks { get; } = entry.AvailableTo.UtcTicks;

        public int GradeRank { get; } = MarketGrades.Rank(entry.Grade);

        public bool Active { get; } = entry.Active;

        public bool OnHand { get; } = entry.Kind == OfferKind.OnHand;

        public bool ColdEvent { get; } = entry.ColdEvent;
    }

    private sealed class Village(Region region, string product)
    {
        public Region Region { get; } = region;

        public string Product { get; } = product;

        public List<Item> Items { get; } = [];
    }
}
