namespace AgriChain.Domain.MasterData;

/// <summary>A greenhouse's master data. The farm is fixed once the greenhouse exists.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.greenhouse-profile")]
public sealed record GreenhouseProfile(
    [property: Id(0)] string FarmId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Crop,
    [property: Id(3)] string Variety,
    [property: Id(4)] decimal AreaMu)
{
    /// <summary>Square metres in one mu.</summary>
    public const decimal SquareMetresPerMu = 666.67m;

    /// <summary>Largest plausible greenhouse: 100 mu (about 6.7 ha) under one roof.</summary>
    public const decimal MaxAreaMu = 100m;
}
