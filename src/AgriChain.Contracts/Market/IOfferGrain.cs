using AgriChain.Domain.Market;
using AgriChain.Domain.MasterData;
using Orleans.Concurrency;

namespace AgriChain.Contracts.Market;

/// <summary>
/// An offer from a cooperative (key: offer id) and the single authority over its free kilograms. An on-hand offer
/// holds its batch's quantity through the batch's reservation mechanism (operation <see cref="MarketKeys.OfferReservation"/>),
/// so an offered kilo cannot also be shipped, split or processed; a forecast offer holds a share of its greenhouse's
/// forecast (<see cref="IForecastPoolGrain"/>) and shrinks when the forecast does. Demands ask it for kilograms; it
/// grants each (demand, attempt) once. When it must take kilograms back (a smaller forecast, a withdrawal) it tells
/// the demands one-way, so no call ever waits in a cycle between offers and demands.
/// </summary>
[Alias("agrichain.offer")]
public interface IOfferGrain : IGrainWithStringKey
{
    /// <summary>
    /// Opens the offer: holds its quantity on the batch or the forecast, then enters the market. The same terms
    /// again answer <see cref="OfferOutcome.Unchanged"/>; other terms under this id are a conflict. When the batch
    /// or the forecast lacks the quantity, nothing is kept and the id stays free.
    /// </summary>
    [Alias("open")]
    Task<OfferResult> OpenAsync(OfferOpening opening);

    /// <summary>
    /// The offer, or null. Interleaves with the offer's other calls (it only reads): a batch being recalled reads the
    /// offers selling it while one of them may be waiting on that batch.
    /// </summary>
    [Alias("get"), AlwaysInterleave]
    Task<OfferView?> GetAsync();

    /// <summary>
    /// Takes the offer out of the market and gives back everything it holds on the batch or forecast; demands that
    /// held kilograms of it are told and re-match elsewhere. Idempotent; null when there is no such offer.
    /// </summary>
    [Alias("withdraw")]
    Task<OfferView?> WithdrawAsync(string withdrawnBy);

    /// <summary>Grants up to the wanted kilograms of what is free to one attempt of a demand, once per attempt.</summary>
    [Alias("allocate")]
    Task<AllocationAnswer> AllocateAsync(AllocationRequest request);

    /// <summary>Gives back what a demand holds and refuses that demand from now on; answers the kilograms released.</summary>
    [Alias("release")]
    Task<decimal> ReleaseAsync(string demandId);

    /// <summary>The greenhouse's forecast changed: this is the offer's share of it now (forecast offers only).</summary>
    [Alias("forecast-changed"), OneWay]
    Task ForecastChangedAsync(ForecastShare share);

    /// <summary>A demand took in the notice of version <paramref name="version"/>: stop repeating it.</summary>
    [Alias("notice-handled"), OneWay]
    Task NoticeHandledAsync(string demandId, long version);
}

/// <summary>What opening an offer needs beyond its terms, resolved by the caller from the batch or greenhouse.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.offer-opening")]
public sealed record OfferOpening(
    [property: Id(0)] OfferTerms Terms,
    [property: Id(1)] Region Region,
    [property: Id(2)] bool ColdEvent,
    [property: Id(3)] decimal BatchQuantity,
    [property: Id(4)] string OpenedBy);

[GenerateSerializer]
public enum OfferOutcome
{
    Created = 0,
    Unchanged = 1,

    /// <summary>The id is another offer's.</summary>
    Conflict = 2,

    /// <summary>The batch or forecast has less free than offered; <see cref="OfferResult.AvailableKg"/> says how much.</summary>
    Shortfall = 3,

    /// <summary>The batch is recalled, on hold, consumed or shipped, or the greenhouse does not exist.</summary>
    Blocked = 4,
}

[GenerateSerializer, Immutable, Alias("agrichain.offer-result")]
public sealed record OfferResult(
    [property: Id(0)] OfferOutcome Outcome,
    [property: Id(1)] OfferView? Offer,
    [property: Id(2)] decimal AvailableKg = 0,
    [property: Id(3)] string? Detail = null);

/// <summary>An offer as its owner sees it.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.offer-view")]
public sealed record OfferView(
    [property: Id(0)] string Id,
    [property: Id(1)] OfferTerms Terms,
    [property: Id(2)] Region Region,
    [property: Id(3)] OfferStatus Status,
    [property: Id(4)] decimal CapacityKg,
    [property: Id(5)] decimal AllocatedKg,
    [property: Id(6)] decimal FreeKg,
    [property: Id(7)] bool ColdEvent,
    [property: Id(8)] DateTimeOffset CreatedAt,
    [property: Id(9)] DateTimeOffset? WithdrawnAt,
    [property: Id(10)] IReadOnlyList<OfferAllocation> Allocations,
    [property: Id(11)] long Version);

/// <summary>One matching attempt of a demand asking an offer for kilograms.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.allocation-request")]
public sealed record AllocationRequest(
    [property: Id(0)] string DemandId,
    [property: Id(1)] int Attempt,
    [property: Id(2)] decimal WantKg,
    [property: Id(3)] DemandTerms Terms);

/// <summary>What an offer granted an attempt, what the demand now holds of it in all, and the offer's facts for the match.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.allocation-answer")]
public sealed record AllocationAnswer(
    [property: Id(0)] decimal GrantedKg,
    [property: Id(1)] decimal HeldKg,
    [property: Id(2)] long Version,
    [property: Id(3)] string OwnerId,
    [property: Id(4)] Region Region,
    [property: Id(5)] decimal PricePerKg,
    [property: Id(6)] OfferStatus Status);

/// <summary>A forecast offer's share of its greenhouse's forecast, and whether that crop saw a cold event at bloom.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.forecast-share")]
public sealed record ForecastShare(
    [property: Id(0)] decimal GrantedKg,
    [property: Id(1)] bool ColdEvent,
    [property: Id(2)] long Version);

/// <summary>An offer took kilograms back from a demand: the demand now holds <see cref="HeldKg"/> of it.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.allocation-notice")]
public sealed record AllocationNotice(
    [property: Id(0)] string OfferId,
    [property: Id(1)] string DemandId,
    [property: Id(2)] decimal HeldKg,
    [property: Id(3)] AdjustmentReason Reason,
    [property: Id(4)] long Version);
