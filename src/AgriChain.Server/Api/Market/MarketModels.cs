using AgriChain.Contracts.Market;
using AgriChain.Domain.Market;
using AgriChain.Server.Api.MasterData;

namespace AgriChain.Server.Api.Market;

public sealed record OfferRequest(string? Id, string? OwnerId, string? Product, string? Grade, decimal? QuantityKg, decimal? PricePerKg,
    string? AvailableFrom, string? AvailableTo, string? BatchId, string? GreenhouseId);

public sealed record DemandRequest(string? Id, string? BuyerId, string? Product, string? Grade, decimal? QuantityKg,
    decimal? MaxPricePerKg, string? DeliverBy, string? County, string? Township);

public sealed record WatchRequest(string? Id, string? Product, string? Grade, decimal? MinQuantityKg, string? Village,
    string? Township, string? County, bool? ExcludeColdEvents);

public sealed record OfferAllocationResponse(string DemandId, string BuyerId, decimal QuantityKg, DateTimeOffset At);

public sealed record OfferResponse(string Id, string OwnerId, string Product, string Grade, decimal QuantityKg, decimal PricePerKg,
    DateTimeOffset AvailableFrom, DateTimeOffset AvailableTo, string? BatchId, string? GreenhouseId, string Kind, string Village,
    string Township, string County, string Status, decimal CapacityKg, decimal AllocatedKg, decimal FreeKg, bool ColdEvent,
    DateTimeOffset CreatedAt, DateTimeOffset? WithdrawnAt, IReadOnlyList<OfferAllocationResponse> Allocations)
{
    public static OfferResponse From(OfferView v)
    {
        var t = v.Terms;
        return new(v.Id, t.OwnerId, t.Product, t.Grade, t.QuantityKg, t.PricePerKg, t.AvailableFrom, t.AvailableTo, t.BatchId,
            t.GreenhouseId, WireNames.Of(t.Kind), v.Region.Village, v.Region.Township, v.Region.County, WireNames.Of(v.Status),
            v.CapacityKg, v.AllocatedKg, v.FreeKg, v.ColdEvent, v.CreatedAt, v.WithdrawnAt,
            v.Allocations.Select(a => new OfferAllocationResponse(a.DemandId, a.BuyerId, a.QuantityKg, a.At)).ToList());
    }
}

public sealed record MatchResponse(string OfferId, string OwnerId, string Village, string Township, string County, decimal QuantityKg,
    decimal PricePerKg);

public sealed record AdjustmentResponse(DateTimeOffset At, string OfferId, string Reason, decimal LostKg, decimal RecoveredKg, string Outcome);

/// <summary>
/// A demand. <c>status</c> is <c>matched</c>, <c>partially-matched</c>, <c>open</c> or <c>cancelled</c>;
/// <c>lastAdjustment</c> says what the latest re-matching did (<c>rematched</c>: other offers made up for what an
/// offer took back; <c>reduced</c>: the demand holds less), with the details in <c>adjustments</c>.
/// </summary>
public sealed record DemandResponse(string Id, string BuyerId, string Product, string Grade, decimal QuantityKg, decimal MaxPricePerKg,
    DateTimeOffset DeliverBy, string? County, string? Township, string Status, IReadOnlyList<MatchResponse> Matches, decimal MatchedKg,
    decimal UnmatchedKg, string? LastAdjustment, IReadOnlyList<AdjustmentResponse> Adjustments, DateTimeOffset CreatedAt,
    DateTimeOffset? CancelledAt)
{
    public static DemandResponse From(DemandView v)
    {
        var t = v.Terms;
        return new(v.Id, t.BuyerId, t.Product, t.Grade, t.QuantityKg, t.MaxPricePerKg, t.DeliverBy, t.County, t.Township,
            WireNames.Of(v.Status),
            v.Matches.Select(m => new MatchResponse(m.OfferId, m.OwnerId, m.Region.Village, m.Region.Township, m.Region.County,
                m.QuantityKg, m.PricePerKg)).ToList(),
            v.MatchedKg, v.UnmatchedKg, v.Adjustments.Count > 0 ? WireNames.Of(v.Adjustments[^1].Outcome) : null,
            v.Adjustments.Select(a => new AdjustmentResponse(a.At, a.OfferId, WireNames.Of(a.Reason), a.LostKg, a.RecoveredKg,
                WireNames.Of(a.Outcome))).ToList(),
            v.CreatedAt, v.CancelledAt);
    }
}

public sealed record VillageSupplyResponse(string Village, string Township, string County, decimal OnHandKg, decimal ForecastKg,
    decimal? MinPricePerKg, int Offers);

public sealed record SupplyResponse(string Product, decimal TotalKg, decimal OnHandKg, decimal ForecastKg,
    IReadOnlyList<VillageSupplyResponse> ByVillage)
{
    public static SupplyResponse From(string product, IReadOnlyList<VillageSupply> villages) => new(product,
        villages.Sum(v => v.TotalKg), villages.Sum(v => v.OnHandKg), villages.Sum(v => v.ForecastKg),
        villages.Select(v => new VillageSupplyResponse(v.Region.Village, v.Region.Township, v.Region.County, v.OnHandKg,
            v.ForecastKg, v.MinPricePerKg, v.Offers)).ToList());
}

public sealed record WatchResponse(string Id, string BuyerId, string Product, string Grade, decimal MinQuantityKg, string? Village,
    string? Township, string? County, bool ExcludeColdEvents, decimal AvailableKg, bool Satisfied, int Notifications,
    DateTimeOffset? LastNotifiedAt, DateTimeOffset CreatedAt)
{
    public static WatchResponse From(WatchView v)
    {
        var s = v.Spec;
        return new(v.Id, s.BuyerId, s.Product, s.Grade, s.MinQuantityKg, s.Village, s.Township, s.County, s.ExcludeColdEvents,
            v.AvailableKg, v.Satisfied, v.Notifications, v.LastNotifiedAt, v.CreatedAt);
    }
}
