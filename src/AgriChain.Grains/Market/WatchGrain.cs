using AgriChain.Contracts.Market;
using AgriChain.Contracts.Notifications;
using AgriChain.Domain.Common;
using AgriChain.Domain.Market;
using AgriChain.Domain.Notifications;

namespace AgriChain.Grains.Market;

/// <summary>
/// A buyer's watch. It keeps each index's latest report of its share of the supply (newer sequences win), adds
/// them up, and applies <see cref="WatchRules"/>: one notification per crossing of the minimum, queued in the
/// buyer's outbox with an id naming the crossing, written down first so a crash re-queues the same notification.
/// </summary>
[GrainType("watch")]
public sealed class WatchGrain(
    [PersistentState("watch")] IPersistentState<WatchState> state,
    IMarketListings listings,
    TimeProvider time) : Grain, IWatchGrain
{
    private WatchState S => state.State;

    private string Key => this.GetPrimaryKeyString();

    private string WatchId => Key[(Key.IndexOf('/', StringComparison.Ordinal) + 1)..];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Spec is not null && !S.Subscribed)
        {
            await SubscribeAsync();
        }

        await NotifyPendingAsync();
    }

    public async Task<UpsertResult<WatchView>> CreateAsync(WatchSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (S.Spec is not null)
        {
            if (S.Spec != spec)
            {
                return UpsertResult.Refused<WatchView>(UpsertOutcome.Conflict, "id", $"Watch '{WatchId}' already exists with other filters.");
            }

            await ListAsync();
            return new(UpsertOutcome.Unchanged, View());
        }

        S.Spec = spec;
        S.CreatedAt = time.GetUtcNow();
        await state.WriteStateAsync();
        await ListAsync();
        await SubscribeAsync();
        return new(UpsertOutcome.Created, View());
    }

    /// <summary>Lists the watch under its buyer (once it is durable; again when its creation is repeated).</summary>
    private Task ListAsync() => listings.AddAsync(MarketListingKind.Watch, S.Spec!.BuyerId, WatchId, S.CreatedAt);

    public Task<WatchView?> GetAsync() => Task.FromResult(S.Spec is null ? null : View());

    public async Task<bool> DeleteAsync()
    {
        if (S.Spec is not { } spec)
        {
            return false;
        }

        var subscription = Subscription(spec);
        if (spec.County is { } county)
        {
            await GrainFactory.GetGrain<ISupplyIndexGrain>(MarketKeys.SupplyPartition(spec.Product, county)).UnsubscribeWatchAsync(subscription.WatchKey);
        }
        else
        {
            await GrainFactory.GetGrain<ISupplyDirectoryGrain>(spec.Product).UnsubscribeWatchAsync(subscription.WatchKey);
        }

        await state.ClearStateAsync();
        return true;
    }

    public async Task SupplyChangedAsync(SupplyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (S.Spec is null || (S.Reports.TryGetValue(report.Partition, out var known) && known.Sequence >= report.Sequence))
        {
            return;
        }

        S.Reports[report.Partition] = report;
        await EvaluateAsync();
    }

    /// <summary>Asks the county's index (or, without a county, the product's directory) to report to this watch.</summary>
    private async Task SubscribeAsync()
    {
        var spec = S.Spec!;
        if (spec.County is { } county)
        {
            var report = await GrainFactory.GetGrain<ISupplyIndexGrain>(MarketKeys.SupplyPartition(spec.Product, county))
                .SubscribeWatchAsync(Subscription(spec));
            S.Reports[report.Partition] = report;
        }
        else
        {
            // The indexes report one-way once they have it.
            await GrainFactory.GetGrain<ISupplyDirectoryGrain>(spec.Product).SubscribeWatchAsync(Subscription(spec));
        }

        S.Subscribed = true;
        await EvaluateAsync();
    }

    private async Task EvaluateAsync()
    {
        var spec = S.Spec!;
        var available = S.Reports.Values.Sum(r => r.AvailableKg);
        var step = WatchRules.Step(S.Satisfied, available, spec.MinQuantityKg);
        S.Satisfied = step.Satisfied;
        if (step.Notify)
        {
            var now = time.GetUtcNow();
            S.Notifications++;
            S.LastNotifiedAt = now;
            S.Pending = MarketNotifications.Watch(WatchId, spec, available, S.Notifications, now);
        }

        await state.WriteStateAsync();
        await NotifyPendingAsync();
    }

    private async Task NotifyPendingAsync()
    {
        if (S.Pending is not { } notification || S.Spec is null)
        {
            return;
        }

        await GrainFactory.GetGrain<INotificationOutboxGrain>(NotificationOwner.Buyer(S.Spec.BuyerId).Key).EnqueueAsync([notification]);
        S.Pending = null;
    }

    private WatchSubscription Subscription(WatchSpec spec) => new(Key, spec.Filter);

    private WatchView View() => new(WatchId, S.Spec!, S.Reports.Values.Sum(r => r.AvailableKg), S.Satisfied, S.Notifications,
        S.LastNotifiedAt, S.CreatedAt);
}

[GenerateSerializer, Alias("agrichain.watch-state")]
public sealed class WatchState
{
    [Id(0)] public WatchSpec? Spec { get; set; }
    [Id(1)] public DateTimeOffset CreatedAt { get; set; }
    [Id(2)] public bool Subscribed { get; set; }

    /// <summary>The latest report per index; one per county at most.</summary>
    [Id(3)] public Dictionary<string, SupplyReport> Reports { get; set; } = new(StringComparer.Ordinal);
    [Id(4)] public bool Satisfied { get; set; }
    [Id(5)] public int Notifications { get; set; }
    [Id(6)] public DateTimeOffset? LastNotifiedAt { get; set; }
    [Id(7)] public Notification? Pending { get; set; }
}
