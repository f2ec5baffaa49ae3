using System.Text;
using System.Text.Json;
using AgriChain.Domain.Notifications;

namespace AgriChain.Domain.Tests.Notifications;

public sealed class NotificationBodiesTests
{
    private static readonly Notification Sample = new("alert-42:opened", "alert.opened",
        new DateTimeOffset(2026, 3, 1, 6, 0, 0, TimeSpan.Zero), """{"greenhouseId":"xbz-gh-07","worstValue":8.4}""", "温室 Greenhouse xbz-gh-07");

    [Fact]
    public void Generic_IsTheEnvelopeOnOneLine_WithDataEmbeddedAsJson()
    {
        var body = Encoding.UTF8.GetString(NotificationBodies.Generic(Sample));

        Assert.Equal("""{"id":"alert-42:opened","type":"alert.opened","at":"2026-03-01T06:00:00+00:00","data":{"greenhouseId":"xbz-gh-07","worstValue":8.4}}""", body);
    }

    [Fact]
    public void WeCom_IsARobotTextMessage_WithChineseKeptReadable()
    {
        var body = Encoding.UTF8.GetString(NotificationBodies.For(WebhookKind.WeCom, Sample));

        Assert.Equal("""{"msgtype":"text","text":{"content":"温室 Greenhouse xbz-gh-07"}}""", body);
    }

    [Fact]
    public void WeCom_CutsContentToTheRobotLimit_WithoutSplittingACharacter()
    {
        var body = NotificationBodies.WeCom(Sample with { Text = new string('温', 1000) });

        using var document = JsonDocument.Parse(body);
        var content = document.RootElement.GetProperty("text").GetProperty("content").GetString()!;
        Assert.True(Encoding.UTF8.GetByteCount(content) <= NotificationBodies.MaxWeComContentBytes);
        Assert.EndsWith("温…", content, StringComparison.Ordinal);
        Assert.Equal(682, content.Length);
    }

    [Fact]
    public void Truncate_LeavesShortTextAlone()
    {
        Assert.Equal("short", NotificationBodies.Truncate("short", 5));
        Assert.Equal("ab…", NotificationBodies.Truncate("abcdef", 5));
    }
}
