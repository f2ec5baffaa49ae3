using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AgriChain.Domain.Notifications;

namespace AgriChain.Domain.Market;

/// <summary>Turns market events into notifications for a buyer's outbox: supply watches and re-matched demands.</summary>
public static class MarketNotifications
{
    public const string SupplyAvailable = "supply.available";
    public const string DemandRematched = "demand.rematched";
    public const string DemandReduced = "demand.reduced";

    private static readonly JsonSerializerOptions DataOptions = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>
    /// The <paramref name="crossing"/>-th time watch <paramref name="watchId"/> found enough supply. The id names the
    /// crossing, so telling the outbox again after a crash is recognised as a repeat.
    /// </summary>
    public static Notification Watch(string watchId, WatchSpec spec, decimal availableKg, int crossing, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var data = new WatchData(watchId, spec.BuyerId, spec.Product, spec.Grade, spec.MinQuantityKg, availableKg,
            spec.Village, spec.Township, spec.County, spec.ExcludeColdEvents);
        var place = spec.Village ?? spec.Township ?? spec.County ?? "all villages";
        var text = string.Create(CultureInfo.InvariantCulture,
            $"[AgriChain] Supply watch {watchId}: {availableKg:0.###} kg of {spec.Product} (grade {spec.Grade} or better) free in {place}, at least the {spec.MinQuantityKg:0.###} kg you asked for.");
        return new Notification($"watch.{spec.BuyerId}.{watchId}.{crossing}", SupplyAvailable, at,
            JsonSerializer.Serialize(data, DataOptions), text);
    }

    /// <summary>The <paramref name="sequence"/>-th adjustment of a demand: an offer took kilograms back, re-matching did what it could.</summary>
    public static Notification Adjustment(string demandId, DemandTerms terms, DemandAdjustment adjustment, decimal matchedKg, int sequence)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(adjustment);
        var type = adjustment.Outcome == AdjustmentOutcome.Rematched ? DemandRematched : DemandReduced;
        var data = new AdjustmentData(demandId, terms.BuyerId, terms.Product, adjustment.OfferId, adjustment.Reason,
            adjustment.LostKg, adjustment.RecoveredKg, adjustment.Outcome, matchedKg, terms.QuantityKg - matchedKg);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"[AgriChain] Demand {demandId}: offer {adjustment.OfferId} took back {adjustment.LostKg:0.###} kg; {adjustment.RecoveredKg:0.###} kg found elsewhere. Now {matchedKg:0.###} of {terms.QuantityKg:0.###} kg held.");
        return new Notification($"demand.{demandId}.{sequence}", type, adjustment.At, JsonSerializer.Serialize(data, DataOptions), text);
    }

    private sealed record WatchData(string WatchId, string BuyerId, string Product, string Grade, decimal MinQuantityKg,
        decimal AvailableKg, string? Village, string? Township, string? County, bool ExcludeColdEvents);

    private sealed record AdjustmentData(string DemandId, string BuyerId, string Product, string OfferId, AdjustmentReason Reason,
        decimal LostKg, decimal RecoveredKg, AdjustmentOutcome Outcome, decimal MatchedKg, decimal UnmatchedKg);
}
