using System.Globalization;
using System.Text;
using AgriChain.Domain.Greenhouses;

namespace AgriChain.Domain.Notifications;

/// <summary>
/// The short bilingual text of an alert change for chat robots (WeCom), as a technician reads it on a phone:
/// what happened, where, the value against the threshold, and when, in Beijing time.
/// </summary>
public static class AlertText
{
    public const string TimeZoneId = "Asia/Shanghai";

    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.TryFindSystemTimeZoneById(TimeZoneId, out var zone)
        ? zone
        : TimeZoneInfo.CreateCustomTimeZone(TimeZoneId, TimeSpan.FromHours(8), TimeZoneId, TimeZoneId);

    public static string Render(AlertEvent alertEvent)
    {
        ArgumentNullException.ThrowIfNull(alertEvent);
        var (alert, location) = (alertEvent.Alert, alertEvent.Location);
        var text = new StringBuilder();
        text.Append("【AgriChain】").Append(Headline(alertEvent.Change)).Append('：').Append(KindName(alert.Kind)).Append('\n');
        text.Append("温室 Greenhouse ").Append(alert.GreenhouseId)
            .Append("｜农场 Farm ").Append(location.FarmId).Append('\n');
        text.Append("村镇 Village ").Append(location.Region.Village).Append(", ").Append(location.Region.Township)
            .Append(", ").Append(location.Region.County).Append('\n');
        text.Append(Measurement(alert, alertEvent.Change)).Append('\n');
        if (alert.Stage is { } stage)
        {
            text.Append("生育期 Stage ").Append(StageName(stage)).Append('\n');
        }

        if (alertEvent.Change == AlertChange.Closed)
        {
            text.Append("持续 Lasted ").Append(Number(alert.MinutesOutOfRange)).Append(" min");
            if (alert.Kind is AlertKind.TemperatureBelowFloor or AlertKind.TemperatureAboveCeiling)
            {
                text.Append("，度·分钟 Degree-minutes ").Append(Number(alert.DegreeMinutes));
            }

            text.Append('\n');
        }

        if (alertEvent.Change == AlertChange.Acknowledged && alert.AcknowledgedBy is { } by)
        {
            text.Append("确认人 Acknowledged by ").Append(by).Append('\n');
        }

        text.Append("时间 Time ").Append(LocalTime(AlertNotifications.OccurredAt(alertEvent))).Append(" (").Append(TimeZoneId).Append(')');
        return text.ToString();
    }

    /// <summary><c>yyyy-MM-dd HH:mm</c> in Asia/Shanghai.</summary>
    public static string LocalTime(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, Beijing).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Headline(AlertChange change) => change switch
    {
        AlertChange.Opened => "告警 Alert opened",
        AlertChange.Closed => "告警解除 Alert closed",
        AlertChange.Acknowledged => "告警已确认 Alert acknowledged",
        _ => change.ToString(),
    };

    private static string KindName(AlertKind kind) => kind switch
    {
        AlertKind.TemperatureBelowFloor => "温度低于下限 Temperature below floor",
        AlertKind.TemperatureAboveCeiling => "温度高于上限 Temperature above ceiling",
        AlertKind.HumidityOutOfRange => "湿度超出范围 Humidity out of range",
        AlertKind.SensorSilent => "传感器无数据 Sensor silent",
        _ => kind.ToString(),
    };

    private static string StageName(GrowthStage stage) => stage switch
    {
        GrowthStage.Dormant => "休眠期 dormant",
        GrowthStage.Budbreak => "萌芽期 budbreak",
        GrowthStage.Flowering => "开花期 flowering",
        GrowthStage.FruitSet => "坐果期 fruit-set",
        GrowthStage.FruitGrowth => "果实膨大期 fruit-growth",
        GrowthStage.Ripening => "成熟期 ripening",
        GrowthStage.Harvest => "采收期 harvest",
        GrowthStage.PostHarvest => "采后期 post-harvest",
        _ => stage.ToString(),
    };

    private static string Measurement(Alert alert, AlertChange change)
    {
        if (alert.Kind == AlertKind.SensorSilent)
        {
            return "无读数 No readings" + (alert.Threshold is { } minutes ? $"（阈值 threshold {Number(minutes)} min）" : string.Empty);
        }

        var unit = alert.Kind == AlertKind.HumidityOutOfRange ? " %RH" : " °C";
        var label = change == AlertChange.Opened ? "数值 Value " : "最差值 Worst ";
        var value = alert.WorstValue is { } worst ? Number(worst) + unit : "—";
        var threshold = alert.Threshold is { } limit ? $"（阈值 threshold {Number(limit)}{unit}）" : string.Empty;
        return label + value + threshold;
    }

    private static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
