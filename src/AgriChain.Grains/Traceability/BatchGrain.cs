using AgriChain.Contracts.Market;
using AgriChain.Contracts.Traceability;
using AgriChain.Domain.Common;
using AgriChain.Domain.Traceability;
using AgriChain.Grains.Diagnostics;

namespace AgriChain.Grains.Traceability;

/// <summary>
/// A batch: what it is, how much is left, where it came from and went, and what happened to it. Every change of
/// quantity goes through its <see cref="QuantityLedger"/>, once per operation id.
/// </summary>
[GrainType("batch")]
public sealed class BatchGrain(
    [PersistentState("batch")] IPersistentState<BatchState> state,
    TimeProvider time,
    AgriChainInstruments instruments) : Grain, IBatchGrain
{
    public const int MaxEvents = 1_000;
    public const int MaxLinks = 10_000;
    public const int MaxHolds = 100;

    private BatchState S => state.State;

    public async Task<UpsertResult<BatchView>> CreateAsync(BatchSpec spec, string createdBy)
    {
        if (S.Spec is not null)
        {
            return S.Spec == spec && S.CreationOperationId is null
                ? new(UpsertOutcome.Unchanged, View())
                : UpsertResult.Refused<BatchView>(UpsertOutcome.Conflict, "id", $"Batch '{this.GetPrimaryKeyString()}' already exists with other content.");
        }

        await CreateCoreAsync(spec, [], null, createdBy, null);
        return new(UpsertOutcome.Created, View());
    }

    public async Task<UpsertResult<BatchView>> CreateDerivedAsync(string operationId, BatchSpec spec,
        IReadOnlyList<LineageLink> parents, string createdBy, BatchHold? hold)
    {
        if (S.Spec is not null)
        {
            return S.CreationOperationId == operationId
                ? new(UpsertOutcome.Unchanged, View())
                : UpsertResult.Refused<BatchView>(UpsertOutcome.Conflict, "id", $"Batch '{this.GetPrimaryKeyString()}' already exists.");
        }

        await CreateCoreAsync(spec, parents, operationId, createdBy, hold);
        return new(UpsertOutcome.Created, View());
    }

    public async Task<bool> AbandonAsync(string operationId)
    {
        if (S.Spec is null)
        {
            return true;
        }

        // A hold put at creation does not count: it only kept the batch still, and goes with it.
        if (S.CreationOperationId != operationId || S.Children.Count > 0 || S.Events.Any(e => e.Type != BatchEventType.Held)
            || S.Ledger.Reservations.Count > 0)
        {
            return false;
        }

        await state.ClearStateAsync();
        return true;
    }

    public Task<BatchView?> GetAsync() => Task.FromResult(View());

    public async Task<ReserveResult> ReserveAsync(string operationId, decimal quantity, DateTimeOffset expiresAt, string purpose)
    {
        if (S.Spec is null)
        {
            return new ReserveResult(ReserveOutcome.Blocked, 0, BatchStatus.Consumed);
        }

        var result = S.Ledger.Reserve(operationId, quantity, expiresAt, purpose, time.GetUtcNow(), Status());
        if (result.Outcome == ReserveOutcome.Reserved)
        {
            await state.WriteStateAsync();
        }

        return result;
    }

    public async Task<bool> CommitAsync(string operationId, IReadOnlyList<LineageLink> children)
    {
        if (S.Spec is null)
        {
            return false;
        }

        var applied = S.Ledger.WasApplied(operationId);
        if (!S.Ledger.Commit(operationId))
        {
            return false;
        }

        if (!applied)
        {
            if (S.Children.Count + children.Count > MaxLinks)
            {
                throw new InvalidOperationException($"Batch '{this.GetPrimaryKeyString()}' has too many children.");
            }

            S.Children.AddRange(children);
            await state.WriteStateAsync();
        }

        return true;
    }

    public async Task ReleaseAsync(string operationId)
    {
        if (S.Ledger.Release(operationId))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task<BatchView?> LinkChildrenAsync(string operationId, IReadOnlyList<LineageLink> children)
    {
        if (S.Spec is null)
        {
            return null;
        }

        if (children.Any(c => c.OperationId != operationId))
        {
            throw new ArgumentException($"Every link must belong to operation '{operationId}'.", nameof(children));
        }

        var missing = children.Where(c => !S.Children.Any(e => e.OperationId == c.OperationId && e.BatchId == c.BatchId)).ToList();
        if (missing.Count > 0)
        {
            if (S.Children.Count + missing.Count > MaxLinks)
            {
                throw new InvalidOperationException($"Batch '{this.GetPrimaryKeyString()}' has too many children.");
            }

            S.Children.AddRange(missing);
            await state.WriteStateAsync();
        }

        return View();
    }

    public async Task<bool> ReturnAsync(string operationId)
    {
        if (S.Spec is null)
        {
            return false;
        }

        if (S.Ledger.WasApplied(QuantityLedger.ReturnIdOf(operationId)))
        {
            return true;
        }

        if (!S.Ledger.Release(operationId) && !S.Ledger.Return(operationId))
        {
            return false;
        }

        await state.WriteStateAsync();
        return true;
    }

    public async Task<BatchView?> HoldAsync(BatchHold hold, string heldBy)
    {
        if (S.Spec is null)
        {
            return null;
        }

        if (PutHold(hold, heldBy))
        {
            await state.WriteStateAsync();
        }

        return View();
    }

    public async Task<BatchView?> ReleaseHoldAsync(string holdId, string reason, string releasedBy)
    {
        if (S.Spec is null)
        {
            return null;
        }

        if (S.Holds.Remove(holdId))
        {
            AddSystemEvent(new BatchEvent($"release:{holdId}", BatchEventType.Released, time.GetUtcNow(), null, null, null, null, reason, releasedBy));
            await state.WriteStateAsync();
        }

        return View();
    }

    public async Task<EventResult> RecordEventAsync(BatchEvent batchEvent)
    {
        if (S.Spec is null)
        {
            return new EventResult(EventOutcome.NotFound, null);
        }

        if (S.Events.FirstOrDefault(e => e.Id == batchEvent.Id) is { } existing)
        {
            return existing with { RecordedBy = batchEvent.RecordedBy } == batchEvent
                ? new EventResult(EventOutcome.AlreadyRecorded, View())
                : new EventResult(EventOutcome.Conflict, View());
        }

        if (S.Events.Count >= MaxEvents)
        {
            return new EventResult(EventOutcome.Conflict, View());
        }

        if (batchEvent.Type == BatchEventType.Shipped)
        {
            var taken = S.Ledger.Take($"event:{batchEvent.Id}", batchEvent.Quantity!.Value, time.GetUtcNow(), Status());
            switch (taken.Outcome)
            {
                case ReserveOutcome.Shortfall:
                    return new EventResult(EventOutcome.Shortfall, View(), taken.Available);
                case ReserveOutcome.Blocked:
                    return new EventResult(EventOutcome.Blocked, View());
            }

            S.Buyers.Add(batchEvent.BuyerId!);
        }
        else if (batchEvent.Type == BatchEventType.Inspected)
        {
            // A failed inspection holds the batch back; a later passed one releases it.
            S.OnHold = string.Equals(batchEvent.Result, "failed", StringComparison.OrdinalIgnoreCase);
        }

        S.Events.Add(batchEvent);
        await state.WriteStateAsync();
        if (batchEvent.Type == BatchEventType.Shipped)
        {
            await Task.WhenAll(S.Parents.Select(p => p.BatchId).Distinct()
                .Select(p => GrainFactory.GetGrain<IBatchGrain>(p).GrantBuyerAsync(batchEvent.BuyerId!)));
        }

        return new EventResult(EventOutcome.Recorded, View());
    }

    public async Task<RecallStep> RecallAsync(string recallId, string reason, string recalledBy)
    {
        if (S.Spec is null)
        {
            return new RecallStep(false, [], null);
        }

        if (S.RecallId is null)
        {
            // The offers selling this batch and the buyers they had allocated kilograms to, kept with the recall so a
            // repeated recall answers the same. Offers' reads do not call back here; their withdrawal does (it
            // releases the reservation), so the caller withdraws them, not this grain's turn.
            S.RecallOffers = OfferReservations().Order(StringComparer.Ordinal).ToList();
            var views = await Task.WhenAll(S.RecallOffers.Select(o => GrainFactory.GetGrain<IOfferGrain>(o).GetAsync()));
            S.RecallBuyers = views.OfType<OfferView>().SelectMany(v => v.Allocations.Select(a => a.BuyerId))
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            S.RecallId = recallId;
            S.RecallReason = reason;
            S.RecalledAt = time.GetUtcNow();
            S.RecalledBy = recalledBy;
            await state.WriteStateAsync();
        }

        // With the offers that still hold quantity here: a batch recalled before offers were kept with the recall.
        var offers = S.RecallOffers.Union(OfferReservations(), StringComparer.Ordinal).ToList();
        return new RecallStep(true, S.Children.Select(c => c.BatchId).Distinct().ToList(), View(), offers, S.RecallBuyers);
    }

    /// <summary>The offers holding this batch's quantity (their reservations).</summary>
    private IEnumerable<string> OfferReservations() =>
        S.Ledger.Reservations.Keys.Select(MarketKeys.OfferOfReservation).OfType<string>();

    public async Task GrantBuyerAsync(string buyerId)
    {
        if (S.Spec is null || !S.Buyers.Add(buyerId))
        {
            return;
        }

        await state.WriteStateAsync();
        await Task.WhenAll(S.Parents.Select(p => p.BatchId).Distinct()
            .Select(p => GrainFactory.GetGrain<IBatchGrain>(p).GrantBuyerAsync(buyerId)));
    }

    private async Task CreateCoreAsync(BatchSpec spec, IReadOnlyList<LineageLink> parents, string? operationId, string createdBy, BatchHold? hold)
    {
        S.Spec = spec;
        S.Ledger = new QuantityLedger { Quantity = spec.Quantity };
        S.Parents = [.. parents];
        S.CreationOperationId = operationId;
        S.CreatedAt = time.GetUtcNow();
        S.CreatedBy = createdBy;
        if (hold is not null)
        {
            PutHold(hold, createdBy);
        }

        await state.WriteStateAsync();
        instruments.BatchCreated();
    }

    /// <summary>Adds a hold and its event; false when the hold is already there (or was released: a hold is put once).</summary>
    private bool PutHold(BatchHold hold, string heldBy)
    {
        var eventId = $"hold:{hold.HoldId}";
        if (S.Holds.ContainsKey(hold.HoldId) || S.Events.Any(e => e.Id == eventId))
        {
            return false;
        }

        if (S.Holds.Count >= MaxHolds)
        {
            throw new InvalidOperationException($"Batch '{this.GetPrimaryKeyString()}' has too many holds.");
        }

        S.Holds[hold.HoldId] = hold.Reason;
        AddSystemEvent(new BatchEvent(eventId, BatchEventType.Held, time.GetUtcNow(), null, null, null, null, hold.Reason, heldBy));
        return true;
    }

    /// <summary>Events written by processes: kept while there is room; the state change they describe happens regardless.</summary>
    private void AddSystemEvent(BatchEvent batchEvent)
    {
        if (S.Events.Count < MaxEvents)
        {
            S.Events.Add(batchEvent);
        }
    }

    private BatchStatus Status()
    {
        if (S.RecallId is not null)
        {
            return BatchStatus.Recalled;
        }

        if (S.OnHold || S.Holds.Count > 0)
        {
            return BatchStatus.OnHold;
        }

        if (S.Ledger.Quantity > 0)
        {
            return BatchStatus.Active;
        }

        return S.Children.Count == 0 && S.Events.Any(e => e.Type == BatchEventType.Shipped) ? BatchStatus.Shipped : BatchStatus.Consumed;
    }

    private BatchView? View() => S.Spec is { } spec
        ? new BatchView(this.GetPrimaryKeyString(), spec, S.Ledger.Quantity, S.Ledger.Available(time.GetUtcNow()), Status(),
            [.. S.Parents], [.. S.Children], [.. S.Events], [.. S.Buyers], S.CreatedAt, S.RecallReason)
        : null;
}

[GenerateSerializer, Alias("agrichain.batch-state")]
public sealed class BatchState
{
    [Id(0)] public BatchSpec? Spec { get; set; }
    [Id(1)] public QuantityLedger Ledger { get; set; } = new();
    [Id(2)] public List<LineageLink> Parents { get; set; } = [];
    [Id(3)] public List<LineageLink> Children { get; set; } = [];
    [Id(4)] public List<BatchEvent> Events { get; set; } = [];
    [Id(5)] public SortedSet<string> Buyers { get; set; } = new(StringComparer.Ordinal);
    [Id(6)] public string? CreationOperationId { get; set; }
    [Id(7)] public DateTimeOffset CreatedAt { get; set; }
    [Id(8)] public string CreatedBy { get; set; } = string.Empty;
    [Id(9)] public bool OnHold { get; set; }
    [Id(10)] public string? RecallId { get; set; }
    [Id(11)] public string? RecallReason { get; set; }
    [Id(12)] public DateTimeOffset? RecalledAt { get; set; }
    [Id(13)] public string? RecalledBy { get; set; }

    /// <summary>Holds put by processes (hold id → reason), apart from the inspection hold of <see cref="OnHold"/>.</summary>
    [Id(14)] public Dictionary<string, string> Holds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The market offers that held this batch's quantity when it was recalled (the recall withdraws them).</summary>
    [Id(15)] public List<string> RecallOffers { get; set; } = [];

    /// <summary>The buyers those offers had allocated kilograms to when the batch was recalled.</summary>
    [Id(16)] public List<string> RecallBuyers { get; set; } = [];
}
