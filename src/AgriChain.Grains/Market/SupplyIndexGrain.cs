using AgriChain.Contracts.Market;
using AgriChain.Domain.Market;
using AgriChain.Grains.Notifications;

namespace AgriChain.Grains.Market;

/// <summary>
/// The free supply of one product in one county: one entry per offer, as the offer last reported it (newer
/// versions win, withdrawn offers leave a tombstone so a late older copy cannot bring them back). Offers report on
/// every change, so updates are frequent: they interleave, change the state at once, and share state writes (a
/// write in progress is followed by one more for everything that changed meanwhile). Watches that concern the
/// county get their share of the supply one-way whenever it changes.
/// </summary>
[GrainType("supply-index")]
public sealed class SupplyIndexGrain(
    [PersistentState("supply-index")] IPersistentState<SupplyIndexState> state,
    TimeProvider time) : Grain, ISupplyIndexGrain
{
    /// <summary>Offers of one product in one county.</summary>
    public const int MaxEntries = 20_000;

    public const int MaxWatches = 5_000;
    public const int MaxTombstones = 10_000;

    /// <summary>
    /// Report sequences jump this far on each activation, so reports after a restart are newer than any sent before,
    /// even those whose sequence was never written.
    /// </summary>
    private const long SequenceEpoch = 1L << 20;

    private readonly CoalescingRunner _writes = new();

    private SupplyIndexState S => state.State;

    private string Key => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        S.Sequence += SequenceEpoch;
        return Task.CompletedTask;
    }

    public async Task UpsertAsync(SupplyEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var existing = S.Entries.GetValueOrDefault(entry.OfferId);
        if ((existing is not null && existing.Version >= entry.Version)
            || (S.Tombstones.TryGetValue(entry.OfferId, out var removedAt) && removedAt >= entry.Version))
        {
            return;
        }

        if (!entry.Active)
        {
            S.Entries.Remove(entry.OfferId);
            Bury(entry.OfferId, entry.Version);
        }
        else
        {
            if (existing is null && S.Entries.Count >= MaxEntries && PruneExpired() == 0)
            {
                throw new InvalidOperationException($"Supply index '{Key}' is full ({MaxEntries} offers).");
            }

            S.Entries[entry.OfferId] = entry;
        }

        var reports = Reevaluate(S.Watches.Values.Where(w => Concerns(w, existing) || Concerns(w, entry)));
        var register = !S.Registered;
        await _writes.RunAsync(state.WriteStateAsync);
        Send(reports);
        if (register)
        {
            await RegisterAsync();
        }
    }

    public Task<IReadOnlyList<VillageSupply>> QueryAsync(SupplyFilter filter) =>
        Task.FromResult(SupplyMath.ByVillage(S.Entries.Values, filter, time.GetUtcNow()));

    public Task<IReadOnlyList<SupplyEntry>> CandidatesAsync(DemandTerms terms, int limit) =>
        Task.FromResult<IReadOnlyList<SupplyEntry>>([.. Matching.Candidates(S.Entries.Values, terms, time.GetUtcNow()).Take(limit)]);

    public async Task<SupplyReport> SubscribeWatchAsync(WatchSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        Keep(subscription);
        var report = Report(subscription);
        await _writes.RunAsync(state.WriteStateAsync);
        return report;
    }

    public async Task SubscribeWatchesAsync(IReadOnlyList<WatchSubscription> subscriptions)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        foreach (var subscription in subscriptions)
        {
            Keep(subscription);
        }

        var reports = subscriptions.Select(s => (s.WatchKey, Report(s))).ToList();
        await _writes.RunAsync(state.WriteStateAsync);
        Send(reports);
    }

    public async Task UnsubscribeWatchAsync(string watchKey)
    {
        if (S.Watches.Remove(watchKey))
        {
            S.Reported.Remove(watchKey);
            await _writes.RunAsync(state.WriteStateAsync);
        }
    }

    /// <summary>Tells the product's directory about this county and takes on the watches that name no county.</summary>
    private async Task RegisterAsync()
    {
        var (product, county) = MarketKeys.ParsePartition(Key);
        var watches = await GrainFactory.GetGrain<ISupplyDirectoryGrain>(product).AddPartitionAsync(county);
        foreach (var watch in watches)
        {
            Keep(watch);
        }

        S.Registered = true;
        var reports = watches.Select(w => (w.WatchKey, Report(w))).ToList();
        await _writes.RunAsync(state.WriteStateAsync);
        Send(reports);
    }

    private void Keep(WatchSubscription subscription)
    {
        if (!S.Watches.ContainsKey(subscription.WatchKey) && S.Watches.Count >= MaxWatches)
        {
            throw new InvalidOperationException($"Supply index '{Key}' keeps {MaxWatches} watches already.");
        }

        S.Watches[subscription.WatchKey] = subscription;
    }

    /// <summary>The watches whose share changed, each with a new report; the share is recorded as reported.</summary>
    private List<(string WatchKey, SupplyReport Report)> Reevaluate(IEnumerable<WatchSubscription> watches)
    {
        var now = time.GetUtcNow();
        var reports = new List<(string, SupplyReport)>();
        foreach (var watch in watches.ToList())
        {
            var kg = SupplyMath.FreeKg(S.Entries.Values, watch.Filter, now);
            if (S.Reported.TryGetValue(watch.WatchKey, out var reported) && reported == kg)
            {
                continue;
            }

            S.Reported[watch.WatchKey] = kg;
            reports.Add((watch.WatchKey, new SupplyReport(Key, kg, ++S.Sequence)));
        }

        return reports;
    }

    private SupplyReport Report(WatchSubscription watch)
    {
        var kg = SupplyMath.FreeKg(S.Entries.Values, watch.Filter, time.GetUtcNow());
        S.Reported[watch.WatchKey] = kg;
        return new SupplyReport(Key, kg, ++S.Sequence);
    }

    /// <summary>One-way: a watch never holds up the offers that report here.</summary>
    private void Send(IEnumerable<(string WatchKey, SupplyReport Report)> reports)
    {
        foreach (var (watchKey, report) in reports)
        {
            _ = GrainFactory.GetGrain<IWatchGrain>(watchKey).SupplyChangedAsync(report);
        }
    }

    /// <summary>Whether an entry is one a watch counts, expiry aside (an entry that expired still changes nothing).</summary>
    private static bool Concerns(WatchSubscription watch, SupplyEntry? entry) =>
        entry is not null && watch.Filter.Matches(entry, DateTimeOffset.MinValue);

    /// <summary>Forgets offers past their last day: they never count or match again. Answers how many.</summary>
    private int PruneExpired()
    {
        var now = time.GetUtcNow();
        var expired = S.Entries.Values.Where(e => e.AvailableTo < now).ToList();
        foreach (var entry in expired)
        {
            S.Entries.Remove(entry.OfferId);
            Bury(entry.OfferId, entry.Version);
        }

        return expired.Count;
    }

    private void Bury(string offerId, long version)
    {
        if (!S.Tombstones.ContainsKey(offerId))
        {
            S.TombstoneOrder.Enqueue(offerId);
        }

        S.Tombstones[offerId] = version;
        while (S.TombstoneOrder.Count > MaxTombstones)
        {
            S.Tombstones.Remove(S.TombstoneOrder.Dequeue());
        }
    }
}

[GenerateSerializer, Alias("agrichain.supply-index-state")]
public sealed class SupplyIndexState
{
    [Id(0)] public Dictionary<string, SupplyEntry> Entries { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public Dictionary<string, long> Tombstones { get; set; } = new(StringComparer.Ordinal);
    [Id(2)] public Queue<string> TombstoneOrder { get; set; } = new();
    [Id(3)] public Dictionary<string, WatchSubscription> Watches { get; set; } = new(StringComparer.Ordinal);

    /// <summary>What each watch was last told.</summary>
    [Id(4)] public Dictionary<string, decimal> Reported { get; set; } = new(StringComparer.Ordinal);
    [Id(5)] public long Sequence { get; set; }

    /// <summary>Whether the product's directory knows this county.</summary>
    [Id(6)] public bool Registered { get; set; }
}
