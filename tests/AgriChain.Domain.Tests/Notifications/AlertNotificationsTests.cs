using System.Text.Json;
using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.Notifications;

namespace AgriChain.Domain.Tests.Notifications;

public sealed class AlertNotificationsTests
{
    [Fact]
    public void From_UsesTheEventIdTypeAndOpeningTime()
    {
        var notification = AlertNotifications.From(Samples.Opened());

        Assert.Equal("alert-42:opened", notification.Id);
        Assert.Equal("alert.opened", notification.Type);
        Assert.Equal(Samples.Start, notification.At);
    }

    [Fact]
    public void DataJson_IsTheAlertInApiShape_WithItsPlace()
    {
        var closedAt = Samples.Start.AddMinutes(95);
        var alert = Samples.ColdAlert() with { ClosedAt = closedAt, WorstValue = 7.9, MinutesOutOfRange = 95, DegreeMinutes = 142.5 };
        var notification = AlertNotifications.From(new AlertEvent(AlertChange.Closed, alert, Samples.Location));

        using var data = JsonDocument.Parse(notification.DataJson);
        var root = data.RootElement;
        Assert.Equal(
            ["id", "greenhouseId", "farmId", "cooperativeId", "village", "township", "county", "kind", "stage", "threshold",
                "openedAt", "closedAt", "worstValue", "minutesOutOfRange", "degreeMinutes", "acknowledgedBy", "acknowledgedAt"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("temperature-below-floor", root.GetProperty("kind").GetString());
        Assert.Equal("flowering", root.GetProperty("stage").GetString());
        Assert.Equal(10, root.GetProperty("threshold").GetDouble());
        Assert.Equal(7.9, root.GetProperty("worstValue").GetDouble());
        Assert.Equal(142.5, root.GetProperty("degreeMinutes").GetDouble());
        Assert.Equal(closedAt, root.GetProperty("closedAt").GetDateTimeOffset());
        Assert.Equal("xibeizhuang", root.GetProperty("cooperativeId").GetString());
        Assert.Equal("Wenxi", root.GetProperty("county").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("acknowledgedAt").ValueKind);
        Assert.Equal("alert.closed", notification.Type);
        Assert.Equal(closedAt, notification.At);
    }

    [Theory]
    [InlineData(AlertKind.TemperatureAboveCeiling, GrowthStage.FruitSet, "temperature-above-ceiling", "fruit-set")]
    [InlineData(AlertKind.HumidityOutOfRange, GrowthStage.PostHarvest, "humidity-out-of-range", "post-harvest")]
    [InlineData(AlertKind.SensorSilent, GrowthStage.FruitGrowth, "sensor-silent", "fruit-growth")]
    public void DataJson_WritesKindsAndStagesInKebabCase(AlertKind kind, GrowthStage stage, string kindName, string stageName)
    {
        var alert = Samples.ColdAlert() with { Kind = kind, Stage = stage };
        using var data = JsonDocument.Parse(AlertNotifications.DataJson(new AlertEvent(AlertChange.Opened, alert, Samples.Location)));

        Assert.Equal(kindName, data.RootElement.GetProperty("kind").GetString());
        Assert.Equal(stageName, data.RootElement.GetProperty("stage").GetString());
    }

    [Fact]
    public void Acknowledged_HappensWhenAcknowledged()
    {
        var at = Samples.Start.AddHours(1);
        var alert = Samples.ColdAlert() with { AcknowledgedBy = "key-li-wei", AcknowledgedAt = at };
        var notification = AlertNotifications.From(new AlertEvent(AlertChange.Acknowledged, alert, Samples.Location));

        Assert.Equal("alert-42:acknowledged", notification.Id);
        Assert.Equal("alert.acknowledged", notification.Type);
        Assert.Equal(at, notification.At);
    }
}
