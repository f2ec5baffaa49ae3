using AgriChain.Domain.Common;
using AgriChain.Domain.MasterData;

namespace AgriChain.Contracts.MasterData;

/// <summary>A farm (key: farm id): master data and its greenhouses.</summary>
[Alias("agrichain.farm")]
public interface IFarmGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the farm or updates its profile. Refused with <see cref="UpsertOutcome.MissingReference"/> when the
    /// cooperative does not exist and with <see cref="UpsertOutcome.Conflict"/> when it names another cooperative.
    /// </summary>
    [Alias("put")]
    Task<UpsertResult<FarmView>> PutAsync(FarmProfile profile);

    /// <summary>The farm, or null when it does not exist.</summary>
    [Alias("get")]
    Task<FarmView?> GetAsync();

    /// <summary>Records an orchard or forest-plot harvest and creates its batch: both or neither, once per harvest id.</summary>
    [Alias("record-harvest")]
    Task<Yields.HarvestResult> RecordHarvestAsync(Yields.FarmHarvest harvest, string recordedBy);

    /// <summary>Records that a greenhouse stands on this farm (idempotent).</summary>
    [Alias("add-greenhouse")]
    Task AddGreenhouseAsync(string greenhouseId);
}

/// <summary>A farm as readers see it.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.farm-view")]
public sealed record FarmView(
    [property: Id(0)] string Id,
    [property: Id(1)] FarmProfile Profile,
    [property: Id(2)] IReadOnlyList<string> GreenhouseIds,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset UpdatedAt);
