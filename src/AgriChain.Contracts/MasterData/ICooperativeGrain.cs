using AgriChain.Domain.Common;
using AgriChain.Domain.MasterData;

namespace AgriChain.Contracts.MasterData;

/// <summary>A cooperative (key: cooperative id): its profile and the farms it owns.</summary>
[Alias("agrichain.cooperative")]
public interface ICooperativeGrain : IGrainWithStringKey
{
    /// <summary>Creates the cooperative or updates its profile.</summary>
    [Alias("put")]
    Task<UpsertResult<CooperativeView>> PutAsync(CooperativeProfile profile);

    /// <summary>The cooperative, or null when it does not exist.</summary>
    [Alias("get")]
    Task<CooperativeView?> GetAsync();

    /// <summary>Records that a farm belongs to this cooperative (idempotent).</summary>
    [Alias("add-farm")]
    Task AddFarmAsync(string farmId);
}

/// <summary>A cooperative as readers see it.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.cooperative-view")]
public sealed record CooperativeView(
    [property: Id(0)] string Id,
    [property: Id(1)] CooperativeProfile Profile,
    [property: Id(2)] IReadOnlyList<string> FarmIds,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset UpdatedAt);
