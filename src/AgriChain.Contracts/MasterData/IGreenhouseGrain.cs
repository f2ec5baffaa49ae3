using AgriChain.Domain.Common;
using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.MasterData;

namespace AgriChain.Contracts.MasterData;

/// <summary>A greenhouse (key: greenhouse id): master data, stage and conditions.</summary>
[Alias("agrichain.greenhouse")]
public interface IGreenhouseGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the greenhouse or updates its profile. Refused with <see cref="UpsertOutcome.MissingReference"/>
    /// when the farm does not exist and with <see cref="UpsertOutcome.Conflict"/> when it names another farm.
    /// </summary>
    [Alias("put")]
    Task<UpsertResult<GreenhouseView>> PutAsync(GreenhouseProfile profile);

    /// <summary>The greenhouse, or null when it does not exist.</summary>
    [Alias("get")]
    Task<GreenhouseView?> GetAsync();
}

/// <summary>A greenhouse as readers see it.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.greenhouse-view")]
public sealed record GreenhouseView(
    [property: Id(0)] string Id,
    [property: Id(1)] GreenhouseProfile Profile,
    [property: Id(2)] string CooperativeId,
    [property: Id(3)] GrowthStage? Stage,
    [property: Id(4)] DateTimeOffset? StageSince,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] DateTimeOffset UpdatedAt);
