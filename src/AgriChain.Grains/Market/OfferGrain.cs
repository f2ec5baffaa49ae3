using AgriChain.Contracts.Market;
using AgriChain.Contracts.Traceability;
using AgriChain.Domain.Market;
using AgriChain.Domain.MasterData;
using AgriChain.Domain.Traceability;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;

namespace AgriChain.Grains.Market;

/// <summary>
/// An offer: its terms, what backs it (a batch reservation or a share of a greenhouse's forecast) and its
/// <see cref="OfferBook"/>, the only record of who holds its kilograms. Every change is written before the supply
/// index hears of it, and the index ignores older versions, so the index can lag but never runs ahead. Opening and
/// withdrawing write their intent first and finish on the next activation if interrupted. Kilograms taken back from
/// demands are announced one-way and repeated until the demand acknowledges them.
/// </summary>
[GrainType("offer")]
public sealed partial class OfferGrain(
    [PersistentState("offer")] IPersistentState<OfferState> state,
    Serializer<OfferState> serializer,
    IMarketListings listings,
    TimeProvider time,
    ILogger<OfferGrain> logger) : Grain, IOfferGrain
{
    /// <summary>
    /// How long after its last day an offer's batch reservation lasts. Kilograms still allocated then go back to the
    /// batch, so an offer that nobody withdraws cannot hold produce forever.
    /// </summary>
    public static readonly TimeSpan HoldAfterEnd = TimeSpan.FromDays(30);

    private OfferState? _state;

    /// <summary>The offer as it is now; what is stored is a packed copy of it (<see cref="OfferState.Packed"/>).</summary>
    private OfferState S => _state ??= state.State.Packed is { } packed
        ? serializer.Deserialize(packed) ?? throw new InvalidOperationException($"Offer '{Id}': its stored state is empty.")
        : state.State;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        switch (S.Status)
        {
            case OfferStatus.Opening when S.Terms is not null:
                await OpenCoreAsync();
                break;
            case OfferStatus.Withdrawing:
                await WithdrawCoreAsync();
                break;
            case OfferStatus.Active:
                // A crash may have come between our write and the index's: the index keeps the newer version.
                await PublishAsync();
                SendNotices();
                break;
        }
    }

    public async Task<OfferResult> OpenAsync(OfferOpening opening)
    {
        ArgumentNullException.ThrowIfNull(opening);
        if (S.Terms is not null)
        {
            if (S.Terms != opening.Terms)
            {
                return new OfferResult(OfferOutcome.Conflict, null, 0, $"Offer '{Id}' already exists with other terms.");
            }

            if (S.Status != OfferStatus.Opening)
            {
                return new OfferResult(OfferOutcome.Unchanged, View());
            }

            await ListAsync();
            return await OpenCoreAsync();
        }

        S.Terms = opening.Terms;
        S.Region = opening.Region;
        S.ColdEvent = opening.ColdEvent;
        S.BatchQuantity = opening.BatchQuantity;
        S.OpenedBy = opening.OpenedBy;
        S.CreatedAt = time.GetUtcNow();
        S.Status = OfferStatus.Opening;
        await WriteAsync();
        await ListAsync();
        return await OpenCoreAsync();
    }

    /// <summary>Lists the offer under its cooperative (once it is durable, before it opens; repeated on a retry).</summary>
    private Task ListAsync() => listings.AddAsync(MarketListingKind.Offer, S.Terms!.OwnerId, Id, S.CreatedAt);

    public Task<OfferView?> GetAsync() => Task.FromResult(S.Terms is null ? null : View());

    public async Task<OfferView?> WithdrawAsync(string withdrawnBy)
    {
        if (S.Terms is null)
        {
            return null;
        }

        if (S.Status is OfferStatus.Opening or OfferStatus.Active)
        {
            S.Status = OfferStatus.Withdrawing;
            S.WithdrawnAt = time.GetUtcNow();
            S.WithdrawnBy = withdrawnBy;
            await WriteAsync();
        }

        if (S.Status == OfferStatus.Withdrawing)
        {
            await WithdrawCoreAsync();
        }

        return View();
    }

    public async Task<AllocationAnswer> AllocateAsync(AllocationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (S.Terms is null || S.Status != OfferStatus.Active)
        {
            return Answer(0, S.Book.HeldFor(request.DemandId));
        }

        var now = time.GetUtcNow();
        var eligible = Matching.IsEligible(Entry(), request.Terms, now);
        var grant = S.Book.Allocate(request.DemandId, request.Terms.BuyerId, request.Attempt, request.WantKg, eligible, now);

        // A refusal is remembered in memory only (it goes to storage with the next grant): demands never ask an
        // attempt again once interrupted (see DemandGrain), so nothing relies on it surviving a restart.
        if (grant.Changed && grant.GrantedKg > 0)
        {
            S.Version++;
            await WriteAsync();
            LogAllocated(logger, Id, request.DemandId, grant.GrantedKg, S.Book.FreeKg);
            await PublishAsync();
        }

        return Answer(grant.GrantedKg, grant.HeldKg);
    }

    public async Task<decimal> ReleaseAsync(string demandId)
    {
        if (S.Terms is null)
        {
            return 0;
        }

        var wasClosed = S.Book.IsClosed(demandId);
        var released = S.Book.Release(demandId);
        S.Notices.Remove(demandId);
        if (released == 0 && wasClosed)
        {
            return 0;
        }

        S.Version++;
        await WriteAsync();
        if (released > 0)
        {
            LogReleased(logger, Id, demandId, released);
            await PublishAsync();
        }

        return released;
    }

    public async Task ForecastChangedAsync(ForecastShare share)
    {
        ArgumentNullException.ThrowIfNull(share);
        if (S.Terms is not { Kind: OfferKind.Forecast } terms || S.Status != OfferStatus.Active || share.Version <= S.PoolVersion)
        {
            return;
        }

        S.PoolVersion = share.Version;
        S.ColdEvent = share.ColdEvent;
        var cuts = S.Book.Resize(Math.Min(terms.QuantityKg, share.GrantedKg));
        S.Version++;
        AddNotices(cuts, AdjustmentReason.ForecastReduced);
        await WriteAsync();
        if (cuts.Count > 0)
        {
            var cutKg = cuts.Sum(c => c.CutKg);
            LogCut(logger, Id, cuts.Count, cutKg, "forecast reduced");
        }

        await PublishAsync();
        SendNotices();
    }

    public async Task NoticeHandledAsync(string demandId, long version)
    {
        if (S.Notices.TryGetValue(demandId, out var notice) && notice.Version <= version)
        {
            S.Notices.Remove(demandId);
            await WriteAsync();
        }
    }

    /// <summary>Holds the quantity on the batch or the forecast, then enters the market; or forgets the offer.</summary>
    private async Task<OfferResult> OpenCoreAsync()
    {
        var terms = S.Terms!;
        decimal capacity;
        if (terms.BatchId is { } batchId)
        {
            var reserved = await GrainFactory.GetGrain<IBatchGrain>(batchId).ReserveAsync(MarketKeys.OfferReservation(Id),
                S.BatchQuantity, terms.AvailableTo + HoldAfterEnd, "offer");
            if (reserved.Outcome is ReserveOutcome.Shortfall or ReserveOutcome.Blocked)
            {
                var freeKg = KgOf(reserved.Available);
                await ClearAsync();
                return reserved.Outcome == ReserveOutcome.Shortfall
                    ? new OfferResult(OfferOutcome.Shortfall, null, freeKg, $"Batch '{batchId}' has only {freeKg} kg free.")
                    : new OfferResult(OfferOutcome.Blocked, null, 0,
                        $"Batch '{batchId}' is {System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(reserved.Status.ToString())}: nothing can be offered from it.");
            }

            capacity = terms.QuantityKg;
        }
        else
        {
            var claim = await Pool(terms).ClaimAsync(Id, terms.QuantityKg);
            if (!claim.Granted)
            {
                await ClearAsync();
                return claim.GreenhouseFound
                    ? new OfferResult(OfferOutcome.Shortfall, null, claim.AvailableKg,
                        $"Greenhouse '{terms.GreenhouseId}' has {claim.AvailableKg} kg of its forecast left to offer.")
                    : new OfferResult(OfferOutcome.Blocked, null, 0, $"Greenhouse '{terms.GreenhouseId}' does not exist.");
            }

            capacity = Math.Min(terms.QuantityKg, claim.Share!.GrantedKg);
            S.ColdEvent = claim.Share.ColdEvent;
            S.PoolVersion = claim.Share.Version;
        }

        S.Book.CapacityKg = capacity;
        S.Status = OfferStatus.Active;
        S.Version++;
        await WriteAsync();
        await PublishAsync();
        return new OfferResult(OfferOutcome.Created, View());
    }

    /// <summary>Takes every kilogram back from the demands, gives the batch or forecast back, leaves the market.</summary>
    private async Task WithdrawCoreAsync()
    {
        var terms = S.Terms!;
        var cuts = S.Book.Resize(0);
        S.Version++;
        AddNotices(cuts, AdjustmentReason.OfferWithdrawn);
        if (terms.BatchId is { } batchId)
        {
            await GrainFactory.GetGrain<IBatchGrain>(batchId).ReleaseAsync(MarketKeys.OfferReservation(Id));
        }
        else
        {
            await Pool(terms).ReleaseAsync(Id);
        }

        S.Status = OfferStatus.Withdrawn;
        await WriteAsync();
        var cutKg = cuts.Sum(c => c.CutKg);
        LogCut(logger, Id, cuts.Count, cutKg, "withdrawn");
        await PublishAsync();
        SendNotices();
    }

    private void AddNotices(IReadOnlyList<AllocationCut> cuts, AdjustmentReason reason)
    {
        foreach (var cut in cuts)
        {
            S.Notices[cut.DemandId] = new AllocationNotice(Id, cut.DemandId, cut.HeldKg, reason, S.Version);
        }

        // Bounded: a demand that never acknowledges loses its reminder, never its kilograms' accounting.
        foreach (var stale in S.Notices.Values.OrderBy(n => n.Version).Take(Math.Max(0, S.Notices.Count - OfferState.MaxNotices)).ToList())
        {
            S.Notices.Remove(stale.DemandId);
        }
    }

    /// <summary>One-way, so a demand that is busy asking this offer for kilograms never waits on us in a cycle.</summary>
    private void SendNotices()
    {
        foreach (var notice in S.Notices.Values)
        {
            _ = GrainFactory.GetGrain<IDemandGrain>(notice.DemandId).AllocationReducedAsync(notice);
        }
    }

    private Task PublishAsync() =>
        GrainFactory.GetGrain<ISupplyIndexGrain>(MarketKeys.SupplyPartition(S.Terms!.Product, S.Region!.County)).UpsertAsync(Entry());

    private SupplyEntry Entry()
    {
        var t = S.Terms!;
        return new SupplyEntry(Id, t.OwnerId, t.Product, t.Grade, t.Kind, t.PricePerKg, t.AvailableFrom, t.AvailableTo,
            S.Region!, S.Status == OfferStatus.Active ? S.Book.FreeKg : 0, S.ColdEvent, S.CreatedAt, S.Version,
            S.Status == OfferStatus.Active);
    }

    private AllocationAnswer Answer(decimal granted, decimal held) =>
        new(granted, held, S.Version, S.Terms?.OwnerId ?? string.Empty, S.Region ?? new Region("", "", ""),
            S.Terms?.PricePerKg ?? 0, S.Status);

    /// <summary>
    /// Stores the offer packed in Orleans' binary form: the JSON grain storage then writes one short string instead
    /// of the whole book with a type name on every value, which cost several times more, inside the storage's
    /// one-writer gate on SQLite, on every grant. The stored object is built here and never changed afterwards.
    /// </summary>
    private Task WriteAsync()
    {
        state.State = new OfferState { Packed = serializer.SerializeToArray(S) };
        return state.WriteStateAsync();
    }

    /// <summary>Forgets the offer: nothing stored, and a fresh state to work on (the id is free again).</summary>
    private async Task ClearAsync()
    {
        await state.ClearStateAsync();
        state.State = new OfferState();
        _state = null;
    }

    private IForecastPoolGrain Pool(OfferTerms terms) => GrainFactory.GetGrain<IForecastPoolGrain>(terms.GreenhouseId!);

    /// <summary>Batch units back to kilograms (the batch may count in tonnes).</summary>
    private decimal KgOf(decimal batchUnits) => S.BatchQuantity == 0 ? 0 : batchUnits * S.Terms!.QuantityKg / S.BatchQuantity;

    private OfferView View()
    {
        var t = S.Terms!;
        var active = S.Status == OfferStatus.Active;
        return new OfferView(Id, t, S.Region!, S.Status, S.Book.CapacityKg, S.Book.AllocatedKg, active ? S.Book.FreeKg : 0,
            S.ColdEvent, S.CreatedAt, S.WithdrawnAt, [.. S.Book.Allocations], S.Version);
    }
}

[GenerateSerializer, Alias("agrichain.offer-state")]
public sealed class OfferState
{
    /// <summary>Unacknowledged notices kept for re-sending.</summary>
    public const int MaxNotices = 2_000;

    [Id(0)] public OfferTerms? Terms { get; set; }
    [Id(1)] public Region? Region { get; set; }
    [Id(2)] public OfferStatus Status { get; set; }
    [Id(3)] public OfferBook Book { get; set; } = new();
    [Id(4)] public bool ColdEvent { get; set; }

    /// <summary>The offered quantity in the batch's unit (kg or t); zero for a forecast offer.</summary>
    [Id(5)] public decimal BatchQuantity { get; set; }

    /// <summary>Grows with every change; the supply index and the demands keep the newest they saw.</summary>
    [Id(6)] public long Version { get; set; }

    /// <summary>The version of the last forecast share applied.</summary>
    [Id(7)] public long PoolVersion { get; set; }

    [Id(8)] public Dictionary<string, AllocationNotice> Notices { get; set; } = new(StringComparer.Ordinal);
    [Id(9)] public DateTimeOffset CreatedAt { get; set; }
    [Id(10)] public string OpenedBy { get; set; } = string.Empty;
    [Id(11)] public DateTimeOffset? WithdrawnAt { get; set; }
    [Id(12)] public string? WithdrawnBy { get; set; }

    /// <summary>
    /// In storage, the whole state in Orleans' binary form and nothing else; null in the state the grain works on,
    /// and in offers stored before packing, which are read as they are.
    /// </summary>
    [Id(13)] public byte[]? Packed { get; set; }
}
