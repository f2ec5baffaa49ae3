namespace AgriChain.Domain.MasterData;

/// <summary>A village cooperative: it owns farms, batches, processing runs and offers.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.cooperative-profile")]
public sealed record CooperativeProfile(
    [property: Id(0)] string Name,
    [property: Id(1)] Region Region,
    [property: Id(2)] string? Contact = null);

/// <summary>A produce buyer (a supermarket chain, a wholesaler, an exporter).</summary>
[GenerateSerializer, Immutable, Alias("agrichain.buyer-profile")]
public sealed record BuyerProfile(
    [property: Id(0)] string Name,
    [property: Id(1)] string City);
