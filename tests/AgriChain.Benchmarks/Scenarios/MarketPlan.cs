using System.Globalization;

namespace AgriChain.Benchmarks.Scenarios;

/// <summary>
/// The market scenario 6 builds, the same for AgriChain and its SQL baseline: eleven cooperatives, one in each of
/// eleven villages of six southern Shanxi counties, each selling nectarines from its batches on hand in lots of
/// 100-1,000 kg at 4.00-9.00 yuan/kg, and buyers (wholesalers) asking for 1-5 t, half of them inside one county.
/// Everything comes from seeded random numbers, so two plans made alike are identical.
/// </summary>
internal sealed class MarketPlan
{
    public const string Product = "nectarine";

    /// <summary>Offers sold from one batch: the batch holds their kilograms together (a reservation each).</summary>
    public const int OffersPerBatch = 10;

    public const int Buyers = 20;

    /// <summary>Offers a demand asks at most, as AgriChain's demand grain does.</summary>
    public const int MaxCandidates = 50;

    /// <summary>Eleven villages; two per county except the last (a county's supply index holds at most 20,000 offers).</summary>
    public static readonly IReadOnlyList<MarketVillage> Villages =
    [
        new("bench-mkt-coop-01", "Xibeizhuang", "Dongzhen", "Wenxi"),
        new("bench-mkt-coop-02", "Houcun", "Lizhen", "Wenxi"),
        new("bench-mkt-coop-03", "Nanguan", "Shuitou", "Xiaxian"),
        new("bench-mkt-coop-04", "Sizhuang", "Yuwang", "Xiaxian"),
        new("bench-mkt-coop-05", "Beixiang", "Beixiang", "Yanhu"),
        new("bench-mkt-coop-06", "Longju", "Longju", "Yanhu"),
        new("bench-mkt-coop-07", "Chuhou", "Chuhou", "Linyi"),
        new("bench-mkt-coop-08", "Sunji", "Sunji", "Linyi"),
        new("bench-mkt-coop-09", "Kaizhang", "Kaizhang", "Yongji"),
        new("bench-mkt-coop-10", "Hanyang", "Hanyang", "Yongji"),
        new("bench-mkt-coop-11", "Dayu", "Dayu", "Ruicheng"),
    ];

    public static readonly IReadOnlyList<string> Counties = [.. Villages.Select(v => v.County).Distinct()];

    public MarketPlan(int offers, DateOnly today)
    {
        Today = today;
        var random = new Random(6_000);
        var list = new List<MarketOffer>(offers);
        for (var i = 0; i < offers; i++)
        {
            var batch = i / OffersPerBatch;
            var from = today.AddDays(random.Next(0, 21));
            var roll = random.Next(100);
            list.Add(new MarketOffer(
                Id: string.Create(CultureInfo.InvariantCulture, $"bench-offer-{i:D6}"),
                BatchId: BatchId(batch),
                Village: batch % Villages.Count,
                Grade: roll < 15 ? "premium" : roll < 70 ? "a" : "b",
                QuantityKg: random.Next(10, 101) * 10,
                PriceCents: 400 + (random.Next(0, 101) * 5),
                AvailableFrom: from,
                AvailableTo: from.AddDays(random.Next(30, 61)),
                Sequence: i));
        }

        Offers = list;
    }

    public DateOnly Today { get; }

    public IReadOnlyList<MarketOffer> Offers { get; }

    /// <summary>The batches and the kilograms each must hold for its offers.</summary>
    public IEnumerable<(string Id, int Village, int QuantityKg)> Batches =>
        Offers.GroupBy(o => o.BatchId).Select(g => (g.Key, g.First().Village, g.Sum(o => o.QuantityKg)));

    public static string BatchId(int index) => string.Create(CultureInfo.InvariantCulture, $"bench-mkt-batch-{index:D5}");

    public static string BuyerId(int index) => string.Create(CultureInfo.InvariantCulture, $"bench-buyer-{index:D2}");

    /// <summary>The supply query both sides answer: grade a or better, available within ten days, every village.</summary>
    public DateOnly AvailableBy => Today.AddDays(10);

    /// <summary>The demands of one round (<paramref name="name"/> makes their ids), the same for a name every time.</summary>
    public IReadOnlyList<MarketDemand> Demands(string name, int count)
    {
        var random = new Random(StableSeed(name));
        var demands = new List<MarketDemand>(count);
        for (var i = 0; i < count; i++)
        {
            var roll = random.Next(100);
            var county = random.Next(2) == 0 ? Counties[random.Next(Counties.Count)] : null;
            demands.Add(new MarketDemand(
                Id: string.Create(CultureInfo.InvariantCulture, $"bench-demand-{name}-{i:D5}"),
                BuyerId: BuyerId(random.Next(Buyers)),
                Grade: roll < 10 ? "premium" : roll < 80 ? "a" : "b",
                QuantityKg: random.Next(10, 51) * 100,
                MaxPriceCents: 700 + (random.Next(0, 51) * 5),
                DeliverBy: Today.AddDays(random.Next(10, 31)),
                County: county));
        }

        return demands;
    }

    /// <summary>string.GetHashCode is randomised per process; this is not, so a round's demands are the same everywhere.</summary>
    private static int StableSeed(string name)
    {
        var hash = 17;
        foreach (var c in name)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash & 0x7fffffff;
    }

    public static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static decimal Yuan(int cents) => cents / 100m;

    /// <summary>0 for premium, then a, b: smaller is better, as AgriChain ranks grades.</summary>
    public static int GradeRank(string grade) => grade switch { "premium" => 0, "a" => 1, "b" => 2, _ => 3 };
}

internal sealed record MarketVillage(string Cooperative, string Village, string Township, string County);

internal sealed record MarketOffer(string Id, string BatchId, int Village, string Grade, int QuantityKg, int PriceCents,
    DateOnly AvailableFrom, DateOnly AvailableTo, int Sequence);

internal sealed record MarketDemand(string Id, string BuyerId, string Grade, int QuantityKg, int MaxPriceCents, DateOnly DeliverBy, string? County);

/// <summary>What one demand got: its matches (offer, kilograms) and how long it took.</summary>
internal sealed record MarketAnswer(string DemandId, IReadOnlyList<(string OfferId, int Kg)> Matches, double Ms)
{
    public int MatchedKg => Matches.Sum(m => m.Kg);
}
