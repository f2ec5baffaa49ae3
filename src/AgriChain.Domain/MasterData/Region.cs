namespace AgriChain.Domain.MasterData;

/// <summary>The administrative place of a cooperative or farm: village within township within county.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.region")]
public sealed record Region(
    [property: Id(0)] string Village,
    [property: Id(1)] string Township,
    [property: Id(2)] string County);
