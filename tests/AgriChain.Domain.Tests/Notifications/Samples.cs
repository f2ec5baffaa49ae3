using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.MasterData;
using AgriChain.Domain.Notifications;

namespace AgriChain.Domain.Tests.Notifications;

internal static class Samples
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 6, 0, 0, TimeSpan.Zero);

    public static readonly GreenhouseLocation Location =
        new("xbz-gh-07", "xbz-nectarine-park", "xibeizhuang", new Region("Xibeizhuang", "Dongzhen", "Wenxi"));

    public static Alert ColdAlert(string id = "alert-42") => new(id, "xbz-gh-07", AlertKind.TemperatureBelowFloor,
        GrowthStage.Flowering, 10, Start, null, 8.4, 0, 0, null, null, null);

    public static AlertEvent Opened(string id = "alert-42") => new(AlertChange.Opened, ColdAlert(id), Location);

    public static Notification Notification(string id) =>
        new(id, "alert.opened", Start, $$"""{"id":"{{id}}"}""", $"text of {id}");

    public static WebhookSpec Spec(string url = "https://example.org/hooks/agrichain") =>
        new(url, "whsec-0123456789abcdef", WebhookKind.Generic);
}
