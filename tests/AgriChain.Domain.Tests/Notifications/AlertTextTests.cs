using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.Notifications;

namespace AgriChain.Domain.Tests.Notifications;

public sealed class AlertTextTests
{
    [Fact]
    public void Opened_SaysWhatWhereValueThresholdAndBeijingTime()
    {
        var text = AlertText.Render(Samples.Opened());

        Assert.Equal(
            "【AgriChain】告警 Alert opened：温度低于下限 Temperature below floor\n" +
            "温室 Greenhouse xbz-gh-07｜农场 Farm xbz-nectarine-park\n" +
            "村镇 Village Xibeizhuang, Dongzhen, Wenxi\n" +
            "数值 Value 8.4 °C（阈值 threshold 10 °C）\n" +
            "生育期 Stage 开花期 flowering\n" +
            "时间 Time 2026-03-01 14:00 (Asia/Shanghai)",
            text);
    }

    [Fact]
    public void Closed_GivesTheWorstValueAndHowLongItLasted()
    {
        var alert = Samples.ColdAlert() with
        {
            ClosedAt = Samples.Start.AddMinutes(95), WorstValue = 7.9, MinutesOutOfRange = 95, DegreeMinutes = 142.5,
        };
        var text = AlertText.Render(new AlertEvent(AlertChange.Closed, alert, Samples.Location));

        Assert.Contains("告警解除 Alert closed", text, StringComparison.Ordinal);
        Assert.Contains("最差值 Worst 7.9 °C（阈值 threshold 10 °C）", text, StringComparison.Ordinal);
        Assert.Contains("持续 Lasted 95 min，度·分钟 Degree-minutes 142.5", text, StringComparison.Ordinal);
        Assert.EndsWith("时间 Time 2026-03-01 15:35 (Asia/Shanghai)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void HumidityAndSilentSensors_UseTheirOwnUnits()
    {
        var humid = Samples.ColdAlert() with { Kind = AlertKind.HumidityOutOfRange, WorstValue = 96.5, Threshold = 90 };
        var silent = Samples.ColdAlert() with { Kind = AlertKind.SensorSilent, WorstValue = null, Threshold = 60, Stage = null };

        var humidText = AlertText.Render(new AlertEvent(AlertChange.Opened, humid, Samples.Location));
        var silentText = AlertText.Render(new AlertEvent(AlertChange.Opened, silent, Samples.Location));

        Assert.Contains("数值 Value 96.5 %RH（阈值 threshold 90 %RH）", humidText, StringComparison.Ordinal);
        Assert.Contains("传感器无数据 Sensor silent", silentText, StringComparison.Ordinal);
        Assert.Contains("无读数 No readings（阈值 threshold 60 min）", silentText, StringComparison.Ordinal);
        Assert.DoesNotContain("生育期", silentText, StringComparison.Ordinal);
    }

    [Fact]
    public void Acknowledged_NamesWhoAcknowledged()
    {
        var alert = Samples.ColdAlert() with { AcknowledgedBy = "key-li-wei", AcknowledgedAt = Samples.Start.AddHours(17) };
        var text = AlertText.Render(new AlertEvent(AlertChange.Acknowledged, alert, Samples.Location));

        Assert.Contains("确认人 Acknowledged by key-li-wei", text, StringComparison.Ordinal);
        Assert.EndsWith("2026-03-02 07:00 (Asia/Shanghai)", text, StringComparison.Ordinal);
    }
}
