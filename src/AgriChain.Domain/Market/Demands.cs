using AgriChain.Domain.MasterData;

namespace AgriChain.Domain.Market;

/// <summary>
/// What a buyer asks for: kilograms of a product at a grade at least as good as <see cref="Grade"/>, at most
/// <see cref="MaxPricePerKg"/>, available by <see cref="DeliverBy"/>, optionally only from one county or township.
/// </summary>
[GenerateSerializer, Immutable, Alias("agrichain.demand-terms")]
public sealed record DemandTerms(
    [property: Id(0)] string BuyerId,
    [property: Id(1)] string Product,
    [property: Id(2)] string Grade,
    [property: Id(3)] decimal QuantityKg,
    [property: Id(4)] decimal MaxPricePerKg,
    [property: Id(5)] DateTimeOffset DeliverBy,
    [property: Id(6)] string? County,
    [property: Id(7)] string? Township);

/// <summary>How much of a demand is held for it.</summary>
[GenerateSerializer]
public enum DemandStatus
{
    /// <summary>Nothing is held.</summary>
    Open = 0,

    /// <summary>Some, not all, is held.</summary>
    PartiallyMatched = 1,

    /// <summary>All of it is held.</summary>
    Matched = 2,

    /// <summary>The buyer cancelled; everything it held went back to the offers.</summary>
    Cancelled = 3,
}

/// <summary>Kilograms of one offer held for a demand, at the offer's price.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.demand-match")]
public sealed record DemandMatch(
    [property: Id(0)] string OfferId,
    [property: Id(1)] string OwnerId,
    [property: Id(2)] Region Region,
    [property: Id(3)] decimal QuantityKg,
    [property: Id(4)] decimal PricePerKg);

/// <summary>Why an offer took kilograms back from a demand.</summary>
[GenerateSerializer]
public enum AdjustmentReason
{
    /// <summary>The greenhouse's forecast fell below what its offer had allocated.</summary>
    ForecastReduced = 0,

    /// <summary>The cooperative withdrew the offer.</summary>
    OfferWithdrawn = 1,
}

/// <summary>What re-matching after a loss achieved.</summary>
[GenerateSerializer]
public enum AdjustmentOutcome
{
    /// <summary>Other offers made up for everything that was lost.</summary>
    Rematched = 0,

    /// <summary>The demand holds less than before the loss.</summary>
    Reduced = 1,
}

/// <summary>An offer took <see cref="LostKg"/> back from the demand; re-matching found <see cref="RecoveredKg"/> elsewhere.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.demand-adjustment")]
public sealed record DemandAdjustment(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string OfferId,
    [property: Id(2)] AdjustmentReason Reason,
    [property: Id(3)] decimal LostKg,
    [property: Id(4)] decimal RecoveredKg)
{
    public AdjustmentOutcome Outcome => RecoveredKg >= LostKg ? AdjustmentOutcome.Rematched : AdjustmentOutcome.Reduced;
}

public static class DemandRules
{
    /// <summary>The status of a live demand that holds <paramref name="matchedKg"/> of <paramref name="quantityKg"/>.</summary>
    public static DemandStatus StatusOf(decimal quantityKg, decimal matchedKg) =>
        matchedKg <= 0 ? DemandStatus.Open : matchedKg >= quantityKg ? DemandStatus.Matched : DemandStatus.PartiallyMatched;
}
