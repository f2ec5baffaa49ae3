using AgriChain.Domain.Market;
using Orleans.Concurrency;

namespace AgriChain.Contracts.Market;

/// <summary>
/// The forecast of one greenhouse (key: greenhouse id) as its forecast offers share it: each offer claims kilograms,
/// and the claims together never exceed the greenhouse's current forecast. The greenhouse tells it one-way when its
/// forecast may have changed; it reads the forecast back and tells each offer its share one-way.
/// </summary>
[Alias("agrichain.forecast-pool")]
public interface IForecastPoolGrain : IGrainWithStringKey
{
    /// <summary>Claims kilograms of the forecast for an offer; once per offer id.</summary>
    [Alias("claim")]
    Task<ForecastClaimResult> ClaimAsync(string offerId, decimal quantityKg);

    /// <summary>Gives an offer's claim back (a no-op when it has none).</summary>
    [Alias("release")]
    Task ReleaseAsync(string offerId);

    /// <summary>The greenhouse's forecast may have changed.</summary>
    [Alias("forecast-changed"), OneWay]
    Task ForecastChangedAsync();

    [Alias("get"), ReadOnly]
    Task<ForecastPoolView> GetAsync();
}

/// <summary>What a claim got. <see cref="AvailableKg"/> is what no other offer claimed when it fell short.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.forecast-claim-result")]
public sealed record ForecastClaimResult(
    [property: Id(0)] bool Granted,
    [property: Id(1)] decimal AvailableKg,
    [property: Id(2)] ForecastShare? Share,
    [property: Id(3)] bool GreenhouseFound);

[GenerateSerializer, Immutable, Alias("agrichain.forecast-pool-view")]
public sealed record ForecastPoolView(
    [property: Id(0)] decimal ForecastKg,
    [property: Id(1)] bool ColdEvent,
    [property: Id(2)] IReadOnlyList<ForecastClaim> Claims,
    [property: Id(3)] long Version);
