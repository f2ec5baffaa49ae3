using System.Text.Json;
using System.Text.Json.Serialization;
using AgriChain.Domain.Greenhouses;

namespace AgriChain.Domain.Notifications;

/// <summary>Turns alert changes into notifications: the first producer of the outbox.</summary>
public static class AlertNotifications
{
    public const string Opened = "alert.opened";
    public const string Closed = "alert.closed";
    public const string Acknowledged = "alert.acknowledged";

    private static readonly JsonSerializerOptions DataOptions = new(JsonSerializerDefaults.Web)
    {
        Encoder = NotificationBodies.Encoder,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>The notification type of a change: <c>alert.opened</c>, <c>alert.closed</c>, <c>alert.acknowledged</c>.</summary>
    public static string TypeOf(AlertChange change) => change switch
    {
        AlertChange.Opened => Opened,
        AlertChange.Closed => Closed,
        AlertChange.Acknowledged => Acknowledged,
        _ => throw new ArgumentOutOfRangeException(nameof(change), change, null),
    };

    /// <summary>When the change happened: the alert's opening, closing or acknowledgement.</summary>
    public static DateTimeOffset OccurredAt(AlertEvent alertEvent)
    {
        ArgumentNullException.ThrowIfNull(alertEvent);
        var alert = alertEvent.Alert;
        return alertEvent.Change switch
        {
            AlertChange.Closed => alert.ClosedAt ?? alert.OpenedAt,
            AlertChange.Acknowledged => alert.AcknowledgedAt ?? alert.OpenedAt,
            _ => alert.OpenedAt,
        };
    }

    /// <summary>The notification of an alert change, identified by <see cref="AlertEvent.EventId"/>.</summary>
    public static Notification From(AlertEvent alertEvent)
    {
        ArgumentNullException.ThrowIfNull(alertEvent);
        return new Notification(alertEvent.EventId, TypeOf(alertEvent.Change), OccurredAt(alertEvent),
            DataJson(alertEvent), AlertText.Render(alertEvent));
    }

    /// <summary>
    /// The alert in the API's camelCase shape (kinds and stages in kebab-case), with where its greenhouse is, as the
    /// <c>data</c> member of the notification body.
    /// </summary>
    public static string DataJson(AlertEvent alertEvent)
    {
        ArgumentNullException.ThrowIfNull(alertEvent);
        var (alert, location) = (alertEvent.Alert, alertEvent.Location);
        var data = new AlertData(alert.Id, alert.GreenhouseId, location.FarmId, location.CooperativeId,
            location.Region.Village, location.Region.Township, location.Region.County, alert.Kind, alert.Stage,
            alert.Threshold, alert.OpenedAt, alert.ClosedAt, alert.WorstValue, alert.MinutesOutOfRange,
            alert.DegreeMinutes, alert.AcknowledgedBy, alert.AcknowledgedAt);
        return JsonSerializer.Serialize(data, DataOptions);
    }

    private sealed record AlertData(
        string Id,
        string GreenhouseId,
        string FarmId,
        string CooperativeId,
        string Village,
        string Township,
        string County,
        AlertKind Kind,
        GrowthStage? Stage,
        double? Threshold,
        DateTimeOffset OpenedAt,
        DateTimeOffset? ClosedAt,
        double? WorstValue,
        double MinutesOutOfRange,
        double DegreeMinutes,
        string? AcknowledgedBy,
        DateTimeOffset? AcknowledgedAt);
}
