namespace AgriChain.Contracts.Market;

/// <summary>Keys of the market grains and of the reservations offers hold on batches.</summary>
public static class MarketKeys
{
    /// <summary>The supply index of one product in one county: <c>nectarine/Wenxi</c>.</summary>
    public static string SupplyPartition(string product, string county) => $"{product}/{county}";

    /// <summary>The product and county of a supply partition key (a product id never contains '/').</summary>
    public static (string Product, string County) ParsePartition(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (key, string.Empty) : (key[..slash], key[(slash + 1)..]);
    }

    /// <summary>A buyer's watch: <c>fresh-mart/early-nectarines</c> (ids never contain '/').</summary>
    public static string Watch(string buyerId, string watchId) => $"{buyerId}/{watchId}";

    /// <summary>The operation id under which an on-hand offer holds its batch's quantity.</summary>
    public static string OfferReservation(string offerId) => $"offer:{offerId}";

    /// <summary>The offer whose reservation <paramref name="operationId"/> is, or null for another operation.</summary>
    public static string? OfferOfReservation(string operationId)
    {
        ArgumentNullException.ThrowIfNull(operationId);
        return operationId.StartsWith("offer:", StringComparison.Ordinal) ? operationId["offer:".Length..] : null;
    }
}
