using System.Diagnostics.Metrics;
using AgriChain.Contracts.Market;
using AgriChain.Contracts.Notifications;
using AgriChain.Domain.Common;
using AgriChain.Domain.Market;
using AgriChain.Domain.Notifications;
using AgriChain.Grains.Diagnostics;
using Microsoft.Extensions.Logging;

namespace AgriChain.Grains.Market;

/// <summary>
/// A buyer's demand. Matching runs in attempts: the demand finds the eligible offers in the supply indexes, writes
/// the attempt number and those candidates (its intent), then asks each candidate in matching order for what is
/// still unmatched. Offers answer each (demand, attempt) once, so an attempt resumed after a crash (on the next
/// activation or a retried request) gets the same answers and never takes twice; whatever an offer answers is
/// what the demand records. When an offer takes kilograms back, a new attempt looks for them elsewhere.
/// </summary>
[GrainType("demand")]
public sealed partial class DemandGrain(
    [PersistentState("demand")] IPersistentState<DemandState> state,
    TimeProvider time,
    IMeterFactory meters,
    ILogger<DemandGrain> logger) : Grain, IDemandGrain
{
    /// <summary>Offers one attempt asks at most.</summary>
    public const int MaxCandidates = 50;

    /// <summary>Offers a demand holds kilograms of at most.</summary>
    public const int MaxHoldings = 200;

    public const int MaxAdjustments = 50;

    private readonly Counter<long> _matches = meters.Create(AgriChainInstruments.MeterName)
        .CreateCounter<long>("agrichain.market.matches", "{match}", "Kilograms of an offer granted to a demand (one per grant).");

    private DemandState S => state.State;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Phase == DemandPhase.Matching && S.Terms is not null)
        {
            await RunAttemptAsync();
        }
        else if (S.Phase == DemandPhase.Cancelling)
        {
            await CancelCoreAsync();
        }

        await NotifyPendingAsync();
    }

    public async Task<UpsertResult<DemandView>> SubmitAsync(DemandTerms terms, string submittedBy)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (S.Terms is not null)
        {
            if (S.Terms != terms)
            {
                return UpsertResult.Refused<DemandView>(UpsertOutcome.Conflict, "id", $"Demand '{Id}' already exists with other terms.");
            }

            if (S.Phase == DemandPhase.Matching)
            {
                await RunAttemptAsync();
            }

            return new(UpsertOutcome.Unchanged, View());
        }

        S.Terms = terms;
        S.SubmittedBy = submittedBy;
        S.CreatedAt = time.GetUtcNow();
        await BeginAttemptAsync(null);
        await RunAttemptAsync();
        return new(UpsertOutcome.Created, View());
    }

    public Task<DemandView?> GetAsync() => Task.FromResult(S.Terms is null ? null : View());

    public async Task<DemandView?> CancelAsync(string cancelledBy)
    {
        if (S.Terms is null)
        {
            return null;
        }

        if (S.Phase is DemandPhase.Matching or DemandPhase.Settled)
        {
            S.Phase = DemandPhase.Cancelling;
            S.CancelledAt = time.GetUtcNow();
            S.CancelledBy = cancelledBy;
            await state.WriteStateAsync();
        }

        if (S.Phase == DemandPhase.Cancelling)
        {
            await CancelCoreAsync();
        }

        return View();
    }

    public async Task AllocationReducedAsync(AllocationNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var offer = GrainFactory.GetGrain<IOfferGrain>(notice.OfferId);
        if (S.Phase == DemandPhase.Matching && S.Terms is not null)
        {
            // Finish the attempt an error interrupted before starting another, so its answers are all counted.
            await RunAttemptAsync();
        }

        var holding = S.Holdings.Find(h => h.Match.OfferId == notice.OfferId);
        if (S.Terms is null || S.Phase is DemandPhase.Cancelling or DemandPhase.Cancelled || holding is null || holding.Version >= notice.Version)
        {
            // Nothing to re-match: gone, cancelled, never held, or an answer newer than the notice already counted.
            _ = offer.NoticeHandledAsync(Id, notice.Version);
            return;
        }

        var lost = holding.Match.QuantityKg - notice.HeldKg;
        Hold(holding.Match with { QuantityKg = notice.HeldKg }, notice.Version);
        if (lost <= 0)
        {
            await state.WriteStateAsync();
        }
        else
        {
            LogLost(logger, Id, notice.OfferId, lost, notice.Reason);
            await BeginAttemptAsync(new PendingLoss(notice.OfferId, notice.Reason, lost, MatchedKg()));
        }

        _ = offer.NoticeHandledAsync(Id, notice.Version);
        if (lost > 0)
        {
            await RunAttemptAsync();
        }
    }

    /// <summary>Finds the candidates and writes the intent: the attempt number, the candidates, and the loss it answers.</summary>
    private async Task BeginAttemptAsync(PendingLoss? loss)
    {
        var terms = S.Terms!;
        var counties = terms.County is { } county
            ? [county]
            : await GrainFactory.GetGrain<ISupplyDirectoryGrain>(terms.Product).GetCountiesAsync();
        var answers = await Task.WhenAll(counties.Select(c =>
            GrainFactory.GetGrain<ISupplyIndexGrain>(MarketKeys.SupplyPartition(terms.Product, c)).CandidatesAsync(terms, MaxCandidates)));
        S.Candidates = [.. answers.SelectMany(a => a).Order(Matching.Order).Take(MaxCandidates).Select(e => e.OfferId)];
        S.Attempt++;
        S.Pending = loss;
        S.Phase = DemandPhase.Matching;
        await state.WriteStateAsync();
    }

    /// <summary>Asks the candidates in order for what is unmatched, records their answers, and settles.</summary>
    private async Task RunAttemptAsync()
    {
        var terms = S.Terms!;
        foreach (var offerId in S.Candidates)
        {
            var need = terms.QuantityKg - MatchedKg();
            if (need <= 0)
            {
                break;
            }

            var known = S.Holdings.Exists(h => h.Match.OfferId == offerId);
            if (!known && S.Holdings.Count >= MaxHoldings)
            {
                continue;
            }

            var answer = await GrainFactory.GetGrain<IOfferGrain>(offerId).AllocateAsync(new AllocationRequest(Id, S.Attempt, need, terms));
            if (known || answer.HeldKg > 0)
            {
                Hold(new DemandMatch(offerId, answer.OwnerId, answer.Region, answer.HeldKg, answer.PricePerKg), answer.Version);
            }

            if (answer.GrantedKg > 0)
            {
                _matches.Add(1);
            }
        }

        S.Candidates = [];
        S.Phase = DemandPhase.Settled;
        if (S.Pending is { } loss)
        {
            var recovered = Math.Clamp(MatchedKg() - loss.MatchedAfterLossKg, 0, loss.LostKg);
            var adjustment = new DemandAdjustment(time.GetUtcNow(), loss.OfferId, loss.Reason, loss.LostKg, recovered);
            S.Adjustments.Add(adjustment);
            if (S.Adjustments.Count > MaxAdjustments)
            {
                S.Adjustments.RemoveAt(0);
            }

            S.AdjustmentCount++;
            S.Pending = null;
            S.PendingNotification = MarketNotifications.Adjustment(Id, terms, adjustment, MatchedKg(), S.AdjustmentCount);
        }

        await state.WriteStateAsync();
        var matched = MatchedKg();
        LogSettled(logger, Id, S.Attempt, matched, terms.QuantityKg);
        await NotifyPendingAsync();
    }

    /// <summary>Gives everything back. Offers that may hold something for an unfinished attempt are asked too.</summary>
    private async Task CancelCoreAsync()
    {
        var offers = S.Holdings.Select(h => h.Match.OfferId).Concat(S.Candidates).Distinct(StringComparer.Ordinal).ToList();
        await Task.WhenAll(offers.Select(o => GrainFactory.GetGrain<IOfferGrain>(o).ReleaseAsync(Id)));
        S.Holdings.Clear();
        S.Candidates = [];
        S.Pending = null;
        S.Phase = DemandPhase.Cancelled;
        await state.WriteStateAsync();
    }

    /// <summary>Tells the buyer's outbox what re-matching did; the notification id makes a repeat harmless.</summary>
    private async Task NotifyPendingAsync()
    {
        if (S.PendingNotification is not { } notification || S.Terms is null)
        {
            return;
        }

        await GrainFactory.GetGrain<INotificationOutboxGrain>(NotificationOwner.Buyer(S.Terms.BuyerId).Key).EnqueueAsync([notification]);
        S.PendingNotification = null;
    }

    private void Hold(DemandMatch match, long version)
    {
        var index = S.Holdings.FindIndex(h => h.Match.OfferId == match.OfferId);
        var holding = new DemandHolding(match, version);
        if (index >= 0)
        {
            S.Holdings[index] = holding;
        }
        else
        {
            S.Holdings.Add(holding);
        }
    }

    private decimal MatchedKg() => S.Holdings.Sum(h => h.Match.QuantityKg);

    private DemandView View()
    {
        var terms = S.Terms!;
        var matched = MatchedKg();
        var status = S.Phase is DemandPhase.Cancelling or DemandPhase.Cancelled
            ? DemandStatus.Cancelled
            : DemandRules.StatusOf(terms.QuantityKg, matched);
        return new DemandView(Id, terms, status, [.. S.Holdings.Where(h => h.Match.QuantityKg > 0).Select(h => h.Match)],
            matched, terms.QuantityKg - matched, [.. S.Adjustments], S.CreatedAt, S.CancelledAt);
    }
}

/// <summary>Where a demand is: matching (an attempt in progress), settled, or being cancelled.</summary>
[GenerateSerializer]
public enum DemandPhase
{
    Matching = 0,
    Settled = 1,
    Cancelling = 2,
    Cancelled = 3,
}

/// <summary>What a demand holds of one offer, with the offer's version when it last said so.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.demand-holding")]
public sealed record DemandHolding(
    [property: Id(0)] DemandMatch Match,
    [property: Id(1)] long Version);

/// <summary>The loss an attempt is making up for: which offer, why, how much, and what the demand held just after.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.demand-pending-loss")]
public sealed record PendingLoss(
    [property: Id(0)] string OfferId,
    [property: Id(1)] AdjustmentReason Reason,
    [property: Id(2)] decimal LostKg,
    [property: Id(3)] decimal MatchedAfterLossKg);

[GenerateSerializer, Alias("agrichain.demand-state")]
public sealed class DemandState
{
    [Id(0)] public DemandTerms? Terms { get; set; }
    [Id(1)] public DemandPhase Phase { get; set; }
    [Id(2)] public int Attempt { get; set; }
    [Id(3)] public List<string> Candidates { get; set; } = [];

    /// <summary>Per offer, in the order first matched; bounded by <see cref="DemandGrain.MaxHoldings"/>.</summary>
    [Id(4)] public List<DemandHolding> Holdings { get; set; } = [];
    [Id(5)] public PendingLoss? Pending { get; set; }
    [Id(6)] public List<DemandAdjustment> Adjustments { get; set; } = [];
    [Id(7)] public int AdjustmentCount { get; set; }
    [Id(8)] public Notification? PendingNotification { get; set; }
    [Id(9)] public DateTimeOffset CreatedAt { get; set; }
    [Id(10)] public string SubmittedBy { get; set; } = string.Empty;
    [Id(11)] public DateTimeOffset? CancelledAt { get; set; }
    [Id(12)] public string? CancelledBy { get; set; }
}
