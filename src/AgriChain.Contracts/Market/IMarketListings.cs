namespace AgriChain.Contracts.Market;

/// <summary>What a listing lists: a cooperative's offers, a buyer's demands or a buyer's watches.</summary>
public enum MarketListingKind
{
    Offer = 0,
    Demand = 1,
    Watch = 2,
}

/// <summary>One page of a listing: item ids, newest first, and the token of the next page (null on the last).</summary>
public sealed record MarketListingPage(IReadOnlyList<string> Ids, string? NextPageToken);

/// <summary>
/// Which offers and demands belong to whom, for listing them by owner: a row per item, added when the item is created
/// and never changed. The item's grain stays the authority on what it holds; a listed item may have been cleared since
/// (an offer whose opening failed), so readers skip items that are gone or now belong to someone else.
/// </summary>
public interface IMarketListings
{
    /// <summary>Lists <paramref name="itemId"/> under its owner; adding it again changes nothing.</summary>
    Task AddAsync(MarketListingKind kind, string ownerId, string itemId, DateTimeOffset createdAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// The owner's items, newest first, at most <paramref name="limit"/>, after <paramref name="pageToken"/> (a token a
    /// previous page returned).
    /// </summary>
    /// <exception cref="ArgumentException">The page token is not one this store issued.</exception>
    Task<MarketListingPage> ListAsync(MarketListingKind kind, string ownerId, string? pageToken, int limit, CancellationToken cancellationToken = default);
}
