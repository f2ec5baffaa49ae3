using AgriChain.Contracts.Market;
using AgriChain.Domain.Market;
using AgriChain.Grains.Notifications;
using Orleans.Serialization;

namespace AgriChain.Grains.Market;

/// <summary>
/// The free supply of one product in one county: one entry per offer, as the offer last reported it (newer
/// versions win, withdrawn offers leave a tombstone so a late older copy cannot bring them back). Offers report on
/// every change, so updates are frequent: they interleave, change the entries in memory at once
/// (<see cref="SupplyEntryIndex"/>), so queries and matching see them as soon as the offer has answered, and share
/// durable writes (a write in progress is followed by one more for everything that changed meanwhile).
/// </summary>
/// <remarks>
/// <para>
/// An offer entering or leaving the index is answered only once it is durable. A change of an offer already in it
/// (its free kilograms after a grant or a release, its cold-event flag) is written within <see cref="FlushDelay"/>,
/// together with every other change by then, and answered at once: the offer has written it first and is the
/// authority on its kilograms, so the index, like any copy, can lag (after a crash, by the changes of its last
/// moment, as it could before between an offer's write and its report) but never runs ahead, and matching asks the
/// offers anyway. Waiting for the index's write on every grant made it half of the market's storage traffic.
/// </para>
/// <para>
/// What is written is kept small, because an index holds thousands of offers: a snapshot of everything (packed with
/// Orleans' binary serializer rather than written as JSON), and beside it, in a second state, the entries changed
/// since that snapshot. A write stores only the changes; once they grow to about the square root of the entries a
/// new snapshot is written and the changes start again, which keeps the bytes written per change near their least.
/// Every write is of objects built in the grain's turn and never touched again, so an update interleaving with a
/// write in flight cannot change what is being serialised (the index used to write the dictionaries it was
/// changing, which failed under concurrent offers with "Collection was modified").
/// </para>
/// Watches that concern the county get their share of the supply one-way whenever it changes.
/// </remarks>
[GrainType("supply-index")]
public sealed class SupplyIndexGrain(
    [PersistentState("supply-index")] IPersistentState<SupplyIndexState> state,
    [PersistentState("supply-index-changes")] IPersistentState<SupplyIndexChanges> changes,
    Serializer<SupplyIndexSnapshot> snapshots,
    Serializer<SupplyIndexDelta> deltas,
    TimeProvider time) : Grain, ISupplyIndexGrain
{
    /// <summary>Offers of one product in one county.</summary>
    public const int MaxEntries = 20_000;

    public const int MaxWatches = 5_000;
    public const int MaxTombstones = 10_000;

    /// <summary>Changes kept beside a snapshot at least, however few the entries.</summary>
    public const int MinChanges = 64;

    /// <summary>How long a change of an offer already in the index waits to be written with others.</summary>
    public static readonly TimeSpan FlushDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Report sequences jump this far on each activation, so reports after a restart are newer than any sent before,
    /// even those whose sequence was never written.
    /// </summary>
    private const long SequenceEpoch = 1L << 20;

    private readonly CoalescingRunner _writes = new();
    private readonly SupplyEntryIndex _entries = new();
    private readonly Dictionary<string, long> _tombstones = new(StringComparer.Ordinal);
    private readonly Queue<string> _tombstoneOrder = new();
    private readonly Dictionary<string, WatchSubscription> _watches = new(StringComparer.Ordinal);

    /// <summary>What each watch was last told.</summary>
    private readonly Dictionary<string, decimal> _reported = new(StringComparer.Ordinal);

    /// <summary>Each offer's entry as changed since the last durable snapshot (inactive: removed).</summary>
    private Dictionary<string, SupplyEntry> _changed = new(StringComparer.Ordinal);

    private long _sequence;
    private bool _registered;
    private long _snapshot;
    private bool _snapshotDue;

    /// <summary>Something changed that no write has taken yet.</summary>
    private bool _dirty;
    private bool _flushArmed;
    private IGrainTimer? _flush;

    private string Key => this.GetPrimaryKeyString();

    /// <summary>Changes written beside the snapshot before the next snapshot.</summary>
    private int ChangeLimit => Math.Max(MinChanges, (int)Math.Sqrt(8.0 * _entries.Count));

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Load();
        _sequence += SequenceEpoch;
        _flush = this.RegisterGrainTimer(FlushAsync,
            new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { Interleave = true });
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dirty)
        {
            await _writes.RunAsync(WriteAsync);
        }
    }

    public async Task UpsertAsync(SupplyEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var existing = _entries.Get(entry.OfferId);
        if ((existing is not null && existing.Version >= entry.Version)
            || (_tombstones.TryGetValue(entry.OfferId, out var removedAt) && removedAt >= entry.Version))
        {
            return;
        }

        if (!entry.Active)
        {
            _entries.Remove(entry.OfferId);
            Bury(entry.OfferId, entry.Version);
        }
        else
        {
            if (existing is null && _entries.Count >= MaxEntries && PruneExpired() == 0)
            {
                throw new InvalidOperationException($"Supply index '{Key}' is full ({MaxEntries} offers).");
            }

            _entries.Set(entry);
        }

        _changed[entry.OfferId] = entry;
        _dirty = true;
        var reports = Reevaluate(_watches.Values.Where(w => Concerns(w, existing) || Concerns(w, entry)));
        var register = !_registered;
        if (existing is null || !entry.Active || register)
        {
            await _writes.RunAsync(WriteAsync);
        }
        else
        {
            ArmFlush();
        }

        Send(reports);
        if (register)
        {
            await RegisterAsync();
        }
    }

    public Task<IReadOnlyList<VillageSupply>> QueryAsync(SupplyFilter filter) =>
        Task.FromResult(_entries.ByVillage(filter, time.GetUtcNow()));

    public Task<IReadOnlyList<SupplyEntry>> CandidatesAsync(DemandTerms terms, int limit) =>
        Task.FromResult(_entries.Candidates(terms, time.GetUtcNow(), limit));

    public async Task<SupplyReport> SubscribeWatchAsync(WatchSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        Keep(subscription);
        var report = Report(subscription);
        await WriteSnapshotSoonAsync();
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
        await WriteSnapshotSoonAsync();
        Send(reports);
    }

    public async Task UnsubscribeWatchAsync(string watchKey)
    {
        if (_watches.Remove(watchKey))
        {
            _reported.Remove(watchKey);
            await WriteSnapshotSoonAsync();
        }
    }

    /// <summary>Watches live in the snapshot only: a change of them is written with the next snapshot, at once.</summary>
    private Task WriteSnapshotSoonAsync()
    {
        _snapshotDue = true;
        _dirty = true;
        return _writes.RunAsync(WriteAsync);
    }

    /// <summary>
    /// One durable write of everything changed so far: the changes since the snapshot, or a new snapshot when they
    /// have grown too many (or the watches changed). Runs one at a time, in the grain's turn up to the write itself.
    /// </summary>
    private async Task WriteAsync()
    {
        _dirty = false;
        try
        {
            await WriteCoreAsync();
        }
        catch
        {
            _dirty = true;
            throw;
        }
    }

    private void ArmFlush()
    {
        if (!_flushArmed)
        {
            _flushArmed = true;
            _flush!.Change(FlushDelay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Writes the changes that were answered before they were durable; tries again later if the write fails.</summary>
    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        _flushArmed = false;
        if (!_dirty)
        {
            return;
        }

        try
        {
            await _writes.RunAsync(WriteAsync);
        }
        catch (Exception e) when (e is OrleansException or System.Data.Common.DbException or TimeoutException or InvalidOperationException)
        {
            ArmFlush();
        }
    }

    private async Task WriteCoreAsync()
    {
        if (!_snapshotDue && _changed.Count < ChangeLimit)
        {
            changes.State = new SupplyIndexChanges
            {
                Snapshot = _snapshot,
                Packed = deltas.SerializeToArray(new SupplyIndexDelta
                {
                    Entries = [.. _changed.Values],
                    Reported = new(_reported, StringComparer.Ordinal),
                    Sequence = _sequence,
                }),
            };
            await changes.WriteStateAsync();
            return;
        }

        // Changes made while the snapshot is written are not in it: they start the next set of changes, which is
        // written (against the new snapshot) only after the snapshot is durable.
        var taken = _changed;
        _changed = new(StringComparer.Ordinal);
        _snapshotDue = false;
        var next = _snapshot + 1;
        state.State = new SupplyIndexState
        {
            Snapshot = next,
            Packed = snapshots.SerializeToArray(new SupplyIndexSnapshot
            {
                Entries = [.. _entries.Entries],
                TombstoneOrder = [.. _tombstoneOrder],
                Tombstones = new(_tombstones, StringComparer.Ordinal),
                Watches = new(_watches, StringComparer.Ordinal),
                Reported = new(_reported, StringComparer.Ordinal),
                Sequence = _sequence,
                Registered = _registered,
            }),
        };
        try
        {
            await state.WriteStateAsync();
            _snapshot = next;
        }
        catch
        {
            // Still only in the old snapshot's changes: keep them, the newer ones first.
            foreach (var (offerId, entry) in taken)
            {
                _changed.TryAdd(offerId, entry);
            }

            _snapshotDue = true;
            throw;
        }
    }

    /// <summary>The snapshot (or the JSON state of before snapshots), then the changes written beside it.</summary>
    private void Load()
    {
        var s = state.State;
        if (s.Packed is { } packed)
        {
            var snapshot = snapshots.Deserialize(packed) ?? throw new InvalidOperationException($"Supply index '{Key}': its snapshot is empty.");
            foreach (var entry in snapshot.Entries)
            {
                _entries.Set(entry);
            }

            Restore(snapshot.Tombstones, snapshot.TombstoneOrder, snapshot.Watches, snapshot.Reported);
            _sequence = snapshot.Sequence;
            _registered = snapshot.Registered;
        }
        else
        {
            foreach (var entry in s.Entries.Values)
            {
                _entries.Set(entry);
            }

            Restore(s.Tombstones, s.TombstoneOrder, s.Watches, s.Reported);
            _sequence = s.Sequence;
            _registered = s.Registered;
            _snapshotDue = _entries.Count > 0 || _tombstones.Count > 0 || _watches.Count > 0;
        }

        _snapshot = s.Snapshot;
        if (changes.State.Packed is not { } delta)
        {
            return;
        }

        var d = deltas.Deserialize(delta) ?? throw new InvalidOperationException($"Supply index '{Key}': its changes are empty.");
        _sequence = Math.Max(_sequence, d.Sequence);
        if (changes.State.Snapshot != _snapshot)
        {
            // Written against an older snapshot, which has everything they say.
            return;
        }

        foreach (var entry in d.Entries)
        {
            if (entry.Active)
            {
                _entries.Set(entry);
            }
            else
            {
                _entries.Remove(entry.OfferId);
                Bury(entry.OfferId, entry.Version);
            }

            _changed[entry.OfferId] = entry;
        }

        foreach (var (watchKey, kg) in d.Reported)
        {
            if (_watches.ContainsKey(watchKey))
            {
                _reported[watchKey] = kg;
            }
        }
    }

    private void Restore(Dictionary<string, long> tombstones, IEnumerable<string> order, Dictionary<string, WatchSubscription> watches,
        Dictionary<string, decimal> reported)
    {
        foreach (var offerId in order)
        {
            if (tombstones.TryGetValue(offerId, out var version) && !_tombstones.ContainsKey(offerId))
            {
                _tombstoneOrder.Enqueue(offerId);
                _tombstones[offerId] = version;
            }
        }

        foreach (var (watchKey, watch) in watches)
        {
            _watches[watchKey] = watch;
        }

        foreach (var (watchKey, kg) in reported)
        {
            _reported[watchKey] = kg;
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

        _registered = true;
        var reports = watches.Select(w => (w.WatchKey, Report(w))).ToList();
        await WriteSnapshotSoonAsync();
        Send(reports);
    }

    private void Keep(WatchSubscription subscription)
    {
        if (!_watches.ContainsKey(subscription.WatchKey) && _watches.Count >= MaxWatches)
        {
            throw new InvalidOperationException($"Supply index '{Key}' keeps {MaxWatches} watches already.");
        }

        _watches[subscription.WatchKey] = subscription;
    }

    /// <summary>The watches whose share changed, each with a new report; the share is recorded as reported.</summary>
    private List<(string WatchKey, SupplyReport Report)> Reevaluate(IEnumerable<WatchSubscription> watches)
    {
        var now = time.GetUtcNow();
        var reports = new List<(string, SupplyReport)>();
        foreach (var watch in watches.ToList())
        {
            var kg = _entries.FreeKg(watch.Filter, now);
            if (_reported.TryGetValue(watch.WatchKey, out var reported) && reported == kg)
            {
                continue;
            }

            _reported[watch.WatchKey] = kg;
            reports.Add((watch.WatchKey, new SupplyReport(Key, kg, ++_sequence)));
        }

        return reports;
    }

    private SupplyReport Report(WatchSubscription watch)
    {
        var kg = _entries.FreeKg(watch.Filter, time.GetUtcNow());
        _reported[watch.WatchKey] = kg;
        return new SupplyReport(Key, kg, ++_sequence);
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
        var expired = _entries.Expired(time.GetUtcNow());
        foreach (var entry in expired)
        {
            _entries.Remove(entry.OfferId);
            Bury(entry.OfferId, entry.Version);
            _changed[entry.OfferId] = entry with { Active = false };
        }

        return expired.Count;
    }

    private void Bury(string offerId, long version)
    {
        if (!_tombstones.ContainsKey(offerId))
        {
            _tombstoneOrder.Enqueue(offerId);
        }

        _tombstones[offerId] = version;
        while (_tombstoneOrder.Count > MaxTombstones)
        {
            _tombstones.Remove(_tombstoneOrder.Dequeue());
        }
    }
}

/// <summary>
/// The index's durable snapshot. <see cref="Packed"/> holds a <see cref="SupplyIndexSnapshot"/> in Orleans' binary
/// form; the other members are how the index was stored before snapshots (whole, as JSON) and are read once, then
/// written empty.
/// </summary>
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

    [Id(7)] public byte[]? Packed { get; set; }

    /// <summary>Grows with every snapshot; changes written against another snapshot are already in this one.</summary>
    [Id(8)] public long Snapshot { get; set; }
}

/// <summary>Everything an index keeps, as of one snapshot.</summary>
[GenerateSerializer, Alias("agrichain.supply-index-snapshot")]
public sealed class SupplyIndexSnapshot
{
    [Id(0)] public List<SupplyEntry> Entries { get; set; } = [];

    /// <summary>Removed offers, oldest first, and the version each was removed at.</summary>
    [Id(1)] public List<string> TombstoneOrder { get; set; } = [];
    [Id(2)] public Dictionary<string, long> Tombstones { get; set; } = new(StringComparer.Ordinal);
    [Id(3)] public Dictionary<string, WatchSubscription> Watches { get; set; } = new(StringComparer.Ordinal);
    [Id(4)] public Dictionary<string, decimal> Reported { get; set; } = new(StringComparer.Ordinal);
    [Id(5)] public long Sequence { get; set; }
    [Id(6)] public bool Registered { get; set; }
}

/// <summary>The entries changed since snapshot <see cref="Snapshot"/>, packed (<see cref="SupplyIndexDelta"/>).</summary>
[GenerateSerializer, Alias("agrichain.supply-index-changes")]
public sealed class SupplyIndexChanges
{
    [Id(0)] public long Snapshot { get; set; }
    [Id(1)] public byte[]? Packed { get; set; }
}

/// <summary>Each changed offer's latest entry (inactive: removed), what the watches were last told, the report sequence.</summary>
[GenerateSerializer, Alias("agrichain.supply-index-delta")]
public sealed class SupplyIndexDelta
{
    [Id(0)] public List<SupplyEntry> Entries { get; set; } = [];
    [Id(1)] public Dictionary<string, decimal> Reported { get; set; } = new(StringComparer.Ordinal);
    [Id(2)] public long Sequence { get; set; }
}
