using AgriChain.Domain.MasterData;

namespace AgriChain.Domain.Market;

/// <summary>What an offer sells: produce on hand in a batch, or a greenhouse's forecast harvest.</summary>
[GenerateSerializer]
public enum OfferKind
{
    /// <summary>Tied to a batch, whose quantity the offer holds through the batch's reservations.</summary>
    OnHand = 0,

    /// <summary>Tied to a greenhouse: the offer's quantity follows the greenhouse's forecast and shrinks with it.</summary>
    Forecast = 1,
}

/// <summary>Where an offer is in its life.</summary>
[GenerateSerializer]
public enum OfferStatus
{
    /// <summary>Taking its quantity from the batch or the forecast; not in the market yet.</summary>
    Opening = 0,

    /// <summary>In the market.</summary>
    Active = 1,

    /// <summary>Giving its quantity back; no longer in the market.</summary>
    Withdrawing = 2,

    /// <summary>Out of the market; everything it held is released.</summary>
    Withdrawn = 3,
}

/// <summary>
/// The fixed terms of an offer from a cooperative: the product and grade, how many kilograms at what price, when
/// they can be had, and what backs them (exactly one of a batch or a greenhouse).
/// </summary>
[GenerateSerializer, Immutable, Alias("agrichain.offer-terms")]
public sealed record OfferTerms(
    [property: Id(0)] string OwnerId,
    [property: Id(1)] string Product,
    [property: Id(2)] string Grade,
    [property: Id(3)] decimal QuantityKg,
    [property: Id(4)] decimal PricePerKg,
    [property: Id(5)] DateTimeOffset AvailableFrom,
    [property: Id(6)] DateTimeOffset AvailableTo,
    [property: Id(7)] string? BatchId,
    [property: Id(8)] string? GreenhouseId)
{
    public OfferKind Kind => BatchId is not null ? OfferKind.OnHand : OfferKind.Forecast;
}

/// <summary>
/// An offer as the market sees it: what the supply index holds per offer and what matching and supply queries
/// read. <see cref="FreeKg"/> is what is neither allocated to demands nor lost to a smaller forecast.
/// <see cref="Version"/> grows with every change of the offer, so an index can ignore an older copy.
/// </summary>
[GenerateSerializer, Immutable, Alias("agrichain.supply-entry")]
public sealed record SupplyEntry(
    [property: Id(0)] string OfferId,
    [property: Id(1)] string OwnerId,
    [property: Id(2)] string Product,
    [property: Id(3)] string Grade,
    [property: Id(4)] OfferKind Kind,
    [property: Id(5)] decimal PricePerKg,
    [property: Id(6)] DateTimeOffset AvailableFrom,
    [property: Id(7)] DateTimeOffset AvailableTo,
    [property: Id(8)] Region Region,
    [property: Id(9)] decimal FreeKg,
    [property: Id(10)] bool ColdEvent,
    [property: Id(11)] DateTimeOffset CreatedAt,
    [property: Id(12)] long Version,
    [property: Id(13)] bool Active);
