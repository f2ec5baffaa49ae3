using AgriChain.Domain.Common;
using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.MasterData;

namespace AgriChain.Contracts.Greenhouses;

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

    /// <summary>
    /// Stores readings durably, then evaluates the new ones in time order against the stage's thresholds. Readings
    /// already stored (same sensor and time) are counted as duplicates. Null when the greenhouse does not exist.
    /// </summary>
    [Alias("record-readings")]
    Task<IngestResult?> RecordReadingsAsync(IReadOnlyList<Reading> readings);

    /// <summary>Sets the growth stage from <paramref name="since"/>. Refused with a conflict when it predates the current stage.</summary>
    [Alias("set-stage")]
    Task<UpsertResult<GreenhouseView>> SetStageAsync(GrowthStage stage, DateTimeOffset since);

    /// <summary>Acknowledges one of this greenhouse's alerts; null when it has no such alert.</summary>
    [Alias("acknowledge")]
    Task<Alert?> AcknowledgeAsync(string alertId, string acknowledgedBy, string? note);

    /// <summary>
    /// How the crop fared in the flowering and fruit-set stages before <paramref name="harvestedAt"/>: cold exposure,
    /// whether it had a below-floor alert, and whether its conditions are unverified (a silent period, or no readings).
    /// </summary>
    [Alias("condition-summary"), Orleans.Concurrency.ReadOnly]
    Task<ConditionSummary?> GetConditionSummaryAsync(DateTimeOffset harvestedAt);

    /// <summary>
    /// Records a harvest and creates its batch (product = the crop, origin = this greenhouse, owner = the farm's
    /// cooperative): both or neither, once per harvest id.
    /// </summary>
    [Alias("record-harvest")]
    Task<Yields.HarvestResult> RecordHarvestAsync(Yields.GreenhouseHarvest harvest, string recordedBy);

    /// <summary>The season's yield with the forecasts; without a season, the cycle in progress. Null when unknown.</summary>
    [Alias("yield"), Orleans.Concurrency.ReadOnly]
    Task<Yields.GreenhouseYield?> GetYieldAsync(int? season);

    /// <summary>Opens a sensor-silent alert if the greenhouse has been silent too long (the reminder calls this).</summary>
    [Alias("check-silence")]
    Task CheckSilenceAsync();
}

/// <summary>The conditions of the crop cycle that ended in a harvest.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.condition-summary")]
public sealed record ConditionSummary(
    [property: Id(0)] ColdExposure ColdExposure,
    [property: Id(1)] bool ColdEvent,
    [property: Id(2)] bool ConditionsUnverified);

/// <summary>What an ingest did.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.ingest-result")]
public sealed record IngestResult(
    [property: Id(0)] int Accepted,
    [property: Id(1)] int Duplicates,
    [property: Id(2)] IReadOnlyList<Alert> OpenedAlerts,
    [property: Id(3)] IReadOnlyList<Alert> ClosedAlerts);

/// <summary>A greenhouse as readers see it.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.greenhouse-view")]
public sealed record GreenhouseView(
    [property: Id(0)] string Id,
    [property: Id(1)] GreenhouseProfile Profile,
    [property: Id(2)] string CooperativeId,
    [property: Id(3)] GrowthStage? Stage,
    [property: Id(4)] DateTimeOffset? StageSince,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] DateTimeOffset UpdatedAt,
    [property: Id(7)] Region? Region = null,
    [property: Id(8)] LatestReading? Latest = null,
    [property: Id(9)] IReadOnlyList<Alert>? OpenAlerts = null,
    [property: Id(10)] ColdExposure? ColdExposure = null,
    [property: Id(11)] GreenhouseStatus Status = GreenhouseStatus.Unknown,
    [property: Id(12)] double? ChillHours = null);

/// <summary>A greenhouse's condition at a glance.</summary>
[GenerateSerializer]
public enum GreenhouseStatus
{
    /// <summary>No reading yet.</summary>
    Unknown = 0,

    /// <summary>Reporting, inside every band.</summary>
    Ok = 1,

    /// <summary>At least one threshold alert is open.</summary>
    Alert = 2,

    /// <summary>Nothing heard for the profile's silentAfterMinutes.</summary>
    Silent = 3,
}
