using AgriChain.Domain.Market;
using Orleans.Concurrency;

namespace AgriChain.Contracts.Market;

/// <summary>
/// The free supply of one product in one county (key: <see cref="MarketKeys.SupplyPartition"/>), kept current by
/// the offers there. Supply queries and matching read it instead of asking offers; no grain serves the whole
/// market. It also keeps the buyers' watches that concern it, and reports each watch's share of the supply to the
/// watch one-way when it changes. It never calls offers or demands.
/// </summary>
[Alias("agrichain.supply-index")]
public interface ISupplyIndexGrain : IGrainWithStringKey
{
    /// <summary>Stores an offer's current entry; an older version than the one held is ignored.</summary>
    [Alias("upsert"), AlwaysInterleave]
    Task UpsertAsync(SupplyEntry entry);

    /// <summary>Free supply per village for the filter.</summary>
    [Alias("query"), ReadOnly]
    Task<IReadOnlyList<VillageSupply>> QueryAsync(SupplyFilter filter);

    /// <summary>The offers eligible for the demand that have something free, in matching order, at most <paramref name="limit"/>.</summary>
    [Alias("candidates"), ReadOnly]
    Task<IReadOnlyList<SupplyEntry>> CandidatesAsync(DemandTerms terms, int limit);

    /// <summary>Keeps a watch informed from now on; answers its share of the supply now.</summary>
    [Alias("subscribe-watch"), AlwaysInterleave]
    Task<SupplyReport> SubscribeWatchAsync(WatchSubscription subscription);

    /// <summary>Keeps these watches informed, and reports their shares to them (from the product's directory).</summary>
    [Alias("subscribe-watches"), OneWay, AlwaysInterleave]
    Task SubscribeWatchesAsync(IReadOnlyList<WatchSubscription> subscriptions);

    [Alias("unsubscribe-watch"), OneWay, AlwaysInterleave]
    Task UnsubscribeWatchAsync(string watchKey);
}

/// <summary>
/// The counties with supply of one product (key: product) and the watches of that product that name no county,
/// which every county's index must know. Touched when a county gets its first offer of the product and when such a
/// watch comes or goes; read by queries and demands that name no county.
/// </summary>
[Alias("agrichain.supply-directory")]
public interface ISupplyDirectoryGrain : IGrainWithStringKey
{
    /// <summary>Records a county's index; answers the county-wide watches it must keep.</summary>
    [Alias("add-partition")]
    Task<IReadOnlyList<WatchSubscription>> AddPartitionAsync(string county);

    [Alias("counties"), ReadOnly]
    Task<IReadOnlyList<string>> GetCountiesAsync();

    /// <summary>Keeps a watch that names no county, and hands it to every county's index.</summary>
    [Alias("subscribe-watch")]
    Task SubscribeWatchAsync(WatchSubscription subscription);

    [Alias("unsubscribe-watch")]
    Task UnsubscribeWatchAsync(string watchKey);
}

/// <summary>A watch as an index keeps it: its key and the supply it counts.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.watch-subscription")]
public sealed record WatchSubscription(
    [property: Id(0)] string WatchKey,
    [property: Id(1)] SupplyFilter Filter);

/// <summary>One index's share of a watch's supply; a larger <see cref="Sequence"/> is newer.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.supply-report")]
public sealed record SupplyReport(
    [property: Id(0)] string Partition,
    [property: Id(1)] decimal AvailableKg,
    [property: Id(2)] long Sequence);
