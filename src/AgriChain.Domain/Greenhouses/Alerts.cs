using AgriChain.Domain.MasterData;

namespace AgriChain.Domain.Greenhouses;

/// <summary>What an alert is about.</summary>
[GenerateSerializer]
public enum AlertKind
{
    /// <summary>Temperature below the stage's floor (the 10 °C of flowering nectarines).</summary>
    TemperatureBelowFloor = 0,

    /// <summary>Temperature above the stage's ceiling.</summary>
    TemperatureAboveCeiling = 1,

    /// <summary>Humidity outside the stage's band.</summary>
    HumidityOutOfRange = 2,

    /// <summary>No reading for the profile's silentAfterMinutes.</summary>
    SensorSilent = 3,
}

/// <summary>
/// An alert of one greenhouse. It opens on the first reading past a threshold and closes on the first reading back
/// inside; minutes and degree-minutes accumulate in between (each reading holds until the next one).
/// </summary>
[GenerateSerializer, Immutable, Alias("agrichain.alert")]
public sealed record Alert(
    [property: Id(0)] string Id,
    [property: Id(1)] string GreenhouseId,
    [property: Id(2)] AlertKind Kind,
    [property: Id(3)] GrowthStage? Stage,
    [property: Id(4)] double? Threshold,
    [property: Id(5)] DateTimeOffset OpenedAt,
    [property: Id(6)] DateTimeOffset? ClosedAt,
    [property: Id(7)] double? WorstValue,
    [property: Id(8)] double MinutesOutOfRange,
    [property: Id(9)] double DegreeMinutes,
    [property: Id(10)] string? AcknowledgedBy,
    [property: Id(11)] DateTimeOffset? AcknowledgedAt,
    [property: Id(12)] string? AcknowledgementNote)
{
    public bool IsOpen => ClosedAt is null;
}

/// <summary>Where a greenhouse is in the ownership and region trees: what alert rollups and notifications need.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.greenhouse-location")]
public sealed record GreenhouseLocation(
    [property: Id(0)] string GreenhouseId,
    [property: Id(1)] string FarmId,
    [property: Id(2)] string CooperativeId,
    [property: Id(3)] Region Region);

/// <summary>What happened to an alert.</summary>
[GenerateSerializer]
public enum AlertChange
{
    Opened = 0,
    Closed = 1,
    Acknowledged = 2,
}

/// <summary>An alert change, with the alert as it now is and where its greenhouse is: the unit of notification.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.alert-event")]
public sealed record AlertEvent(
    [property: Id(0)] AlertChange Change,
    [property: Id(1)] Alert Alert,
    [property: Id(2)] GreenhouseLocation Location)
{
    /// <summary>Identifies this change of this alert, so that a repeated event is delivered once.</summary>
    public string EventId => $"{Alert.Id}:{Change.ToString().ToLowerInvariant()}";
}
