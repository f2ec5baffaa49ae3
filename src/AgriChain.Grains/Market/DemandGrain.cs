using System.Diagnostics.Metrics;
using AgriChain.Contracts.Market;
using AgriChain.Contracts.Notifications;
using AgriChain.Domain.Common;
using AgriChain.Domain.Market;
using AgriChain.Domain.Notifications;
using AgriChain.Grains.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;

namespace AgriChain.Grains.Market;

/// <summary>
/// A buyer's demand. Matching runs in attempts: the demand finds the eligible offers in the supply indexes, writes
/// the attempt number and those candidates (its intent), then asks each candidate in matching order for what is
/// still unmatched. Offers answer each (demand, attempt) once and write down every grant before answering, so an
/// attempt never takes twice; whatever an offer answers is what the demand records. When an offer takes kilograms
/// back, a new attempt looks for them elsewhere.
/// </summary>
/// <remarks>
/// Offers do not write down a refusal (most asks under contention find an offer already taken, and a write each
/// would be most of the market's storage traffic), so an offer that restarted may grant an attempt it refused before.
/// An interrupted attempt (a crash, an error, on the next activation or a retried request) is therefore never run
/// again: the demand first asks every offer of it and every offer it holds for what it holds, under a new attempt
/// number and wanting nothing, and then, if still short, matches the rest in a new attempt. It learns of every
/// grant the interrupted attempt got, and never asks for more than it lacks.
/// </remarks>
[GrainType("demand")]
public sealed partial class DemandGrain(
    [PersistentState("demand")] IPersistentState<DemandState> state,
    Serializer<DemandState> serializer,
    IMarketListings listings,
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

    private DemandState? _state;

    /// <summary>The demand as it is now; what is stored is a packed copy of it (<see cref="DemandState.Packed"/>).</summary>
    private DemandState S => _state ??= state.State.Packed is { } packed
        ? serializer.Deserialize(packed) ?? throw new InvalidOperationException($"Demand '{Id}': its stored state is empty.")
        : state.State;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Phase == DemandPhase.Matching && S.Terms is not null)
        {
            await ResumeAsync();
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

            // Listed again: heals a crash between the demand's first write and its listing.
            await ListAsync();
            if (S.Phase == DemandPhase.Matching)
            {
                await ResumeAsync();
            }

            return new(UpsertOutcome.Unchanged, View());
        }

        S.Terms = terms;
        S.SubmittedBy = submittedBy;
        S.CreatedAt = time.GetUtcNow();
        await BeginAttemptAsync(null);
        await ListAsync();
        await RunAttemptAsync();
        return new(UpsertOutcome.Created, View());
    }

    /// <summary>Lists the demand under its buyer (once its first write is durable).</summary>
    private Task ListAsync() => listings.AddAsync(MarketListingKind.Demand, S.Terms!.BuyerId, Id, S.CreatedAt);

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
            await WriteAsync();
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
            await ResumeAsync();
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
            await WriteAsync();
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
        S.Candidates = FirstInOrder(answers, MaxCandidates);
        S.Attempt++;
        S.Pending = loss;
        S.Phase = DemandPhase.Matching;
        await WriteAsync();
    }

    /// <summary>
    /// Finishes an interrupted attempt: learns what every offer it may have reached holds for this demand (asking
    /// for nothing, under a new attempt number), then matches what is still short in a new attempt, or settles.
    /// </summary>
    private async Task ResumeAsync()
    {
        var terms = S.Terms!;
        var offers = S.Holdings.Select(h => h.Match.OfferId).Concat(S.Candidates).Distinct(StringComparer.Ordinal).ToList();
        S.Attempt++;
        foreach (var offerId in offers)
        {
            var answer = await GrainFactory.GetGrain<IOfferGrain>(offerId).AllocateAsync(new AllocationRequest(Id, S.Attempt, 0, terms));
            if (answer.HeldKg > 0 || S.Holdings.Exists(h => h.Match.OfferId == offerId))
            {
                Hold(new DemandMatch(offerId, answer.OwnerId, answer.Region, answer.HeldKg, answer.PricePerKg), answer.Version);
            }
        }

        S.Candidates = [];
        if (terms.QuantityKg - MatchedKg() > 0)
        {
            await BeginAttemptAsync(S.Pending);
            await RunAttemptAsync();
        }
        else
        {
            await SettleAsync();
        }
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

        await SettleAsync();
    }

    /// <summary>Ends the attempt: records the adjustment it answered, if any, writes, and tells the buyer.</summary>
    private async Task SettleAsync()
    {
        var terms = S.Terms!;
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

        await WriteAsync();
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
        await WriteAsync();
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

    /// <summary>
    /// The first <paramref name="limit"/> offers of the counties' candidates in matching order. Each county answers
    /// its own in matching order, and an offer is in one county only, so taking the least of the heads each time gives
    /// what sorting them all would (the sort was a tenth of a demand's cost with six counties of fifty).
    /// </summary>
    private static List<string> FirstInOrder(IReadOnlyList<SupplyEntry>[] answers, int limit)
    {
        var heads = new int[answers.Length];
        var first = new List<string>(limit);
        while (first.Count < limit)
        {
            var best = -1;
            for (var i = 0; i < answers.Length; i++)
            {
                if (heads[i] < answers[i].Count
                    && (best < 0 || Matching.Order.Compare(answers[i][heads[i]], answers[best][heads[best]]) < 0))
                {
                    best = i;
                }
            }

            if (best < 0)
            {
                break;
            }

            first.Add(answers[best][heads[best]++].OfferId);
        }

        return first;
    }

    /// <summary>Stores the demand packed in Orleans' binary form (as offers are: see OfferGrain), in a new object each time.</summary>
    private Task WriteAsync()
    {
        state.State = new DemandState { Packed = serializer.SerializeToArray(S) };
        return state.WriteStateAsync();
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

    /// <summary>
    /// In storage, the whole state in Orleans' binary form and nothing else; null in the state the grain works on,
    /// and in demands stored before packing, which are read as they are.
    /// </summary>
    [Id(13)] public byte[]? Packed { get; set; }
}
