using AgriChain.Domain.Common;
using AgriChain.Domain.Market;
using Orleans.Concurrency;

namespace AgriChain.Contracts.Market;

/// <summary>
/// A buyer's standing supply query (key: <see cref="MarketKeys.Watch"/>). The supply indexes it concerns report
/// their share of its supply when it changes; when the sum reaches the minimum after being below it, the watch
/// queues one notification in the buyer's outbox (webhooks), once per crossing.
/// </summary>
[Alias("agrichain.watch")]
public interface IWatchGrain : IGrainWithStringKey
{
    /// <summary>Creates the watch. The same spec again: unchanged; another spec under this id: conflict.</summary>
    [Alias("create")]
    Task<UpsertResult<WatchView>> CreateAsync(WatchSpec spec);

    [Alias("get")]
    Task<WatchView?> GetAsync();

    /// <summary>Stops the watch; false when there was none.</summary>
    [Alias("delete")]
    Task<bool> DeleteAsync();

    /// <summary>An index's share of the watch's supply changed.</summary>
    [Alias("supply-changed"), OneWay]
    Task SupplyChangedAsync(SupplyReport report);
}

/// <summary>A watch as its buyer sees it: what it counts, what it counts now, and how often it notified.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.watch-view")]
public sealed record WatchView(
    [property: Id(0)] string Id,
    [property: Id(1)] WatchSpec Spec,
    [property: Id(2)] decimal AvailableKg,
    [property: Id(3)] bool Satisfied,
    [property: Id(4)] int Notifications,
    [property: Id(5)] DateTimeOffset? LastNotifiedAt,
    [property: Id(6)] DateTimeOffset CreatedAt);
