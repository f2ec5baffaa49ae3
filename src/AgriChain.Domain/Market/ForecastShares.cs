namespace AgriChain.Domain.Market;

/// <summary>An offer's claim on a greenhouse's forecast: the kilograms it offers.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.forecast-claim")]
public sealed record ForecastClaim(
    [property: Id(0)] string OfferId,
    [property: Id(1)] decimal RequestedKg);

/// <summary>
/// How a greenhouse's forecast is shared among the offers that sell it: the oldest offer keeps its kilograms
/// longest, so when the forecast shrinks the newest offers shrink first, and when it grows back they grow back.
/// The offers together never sell more than the forecast.
/// </summary>
public static class ForecastShares
{
    /// <summary>Each claim's share of <paramref name="forecastKg"/>, claims taken oldest first.</summary>
    public static IReadOnlyDictionary<string, decimal> Grant(decimal forecastKg, IEnumerable<ForecastClaim> oldestFirst)
    {
        ArgumentNullException.ThrowIfNull(oldestFirst);
        var left = Math.Max(0, forecastKg);
        var shares = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var claim in oldestFirst)
        {
            var share = Math.Min(claim.RequestedKg, left);
            shares[claim.OfferId] = share;
            left -= share;
        }

        return shares;
    }

    /// <summary>What no claim takes of <paramref name="forecastKg"/>.</summary>
    public static decimal Unclaimed(decimal forecastKg, IEnumerable<ForecastClaim> claims) =>
        Math.Max(0, forecastKg - Grant(forecastKg, claims).Values.Sum());
}
