using AgriChain.Domain.Common;
using AgriChain.Domain.MasterData;

namespace AgriChain.Contracts.MasterData;

/// <summary>A buyer (key: buyer id).</summary>
[Alias("agrichain.buyer")]
public interface IBuyerGrain : IGrainWithStringKey
{
    /// <summary>Creates the buyer or updates its profile.</summary>
    [Alias("put")]
    Task<UpsertResult<BuyerView>> PutAsync(BuyerProfile profile);

    /// <summary>The buyer, or null when it does not exist.</summary>
    [Alias("get")]
    Task<BuyerView?> GetAsync();
}

/// <summary>A buyer as readers see it.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.buyer-view")]
public sealed record BuyerView(
    [property: Id(0)] string Id,
    [property: Id(1)] BuyerProfile Profile,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] DateTimeOffset UpdatedAt);
