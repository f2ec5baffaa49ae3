using AgriChain.Domain.Notifications;

namespace AgriChain.Domain.Tests.Notifications;

public sealed class DeliveryPolicyTests
{
    [Fact]
    public void RetryDelay_DoublesFromTenSecondsToTenMinutes()
    {
        var schedule = Enumerable.Range(1, 10).Select(n => DeliveryPolicy.RetryDelay(n, 0).TotalSeconds);

        Assert.Equal([10, 20, 40, 80, 160, 320, 600, 600, 600, 600], schedule);
    }

    [Fact]
    public void RetryDelay_JitterOnlyShortens_ByAtMostAFifth()
    {
        Assert.Equal(TimeSpan.FromSeconds(8), DeliveryPolicy.RetryDelay(1, 1));
        Assert.Equal(TimeSpan.FromSeconds(540), DeliveryPolicy.RetryDelay(7, 0.5));
        Assert.Equal(TimeSpan.FromMinutes(10), DeliveryPolicy.RetryDelay(1_000, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => DeliveryPolicy.RetryDelay(0, 0));
    }

    [Fact]
    public void IsExpired_After24HoursInTheQueue()
    {
        var queued = new DateTimeOffset(2026, 3, 1, 6, 0, 0, TimeSpan.Zero);
        Assert.False(DeliveryPolicy.IsExpired(queued, queued.AddHours(24).AddTicks(-1)));
        Assert.True(DeliveryPolicy.IsExpired(queued, queued.AddHours(24)));
    }

    [Theory]
    [InlineData(WebhookKind.Generic, 200, null, true)]
    [InlineData(WebhookKind.Generic, 204, null, true)]
    [InlineData(WebhookKind.Generic, 301, null, false)]
    [InlineData(WebhookKind.Generic, 404, null, false)]
    [InlineData(WebhookKind.Generic, 500, null, false)]
    [InlineData(WebhookKind.Generic, 200, """{"errcode":45009}""", true)]
    [InlineData(WebhookKind.WeCom, 200, """{"errcode":0,"errmsg":"ok"}""", true)]
    [InlineData(WebhookKind.WeCom, 200, "not json", true)]
    [InlineData(WebhookKind.WeCom, 200, """{"errcode":45009,"errmsg":"api freq out of limit"}""", false)]
    [InlineData(WebhookKind.WeCom, 502, null, false)]
    public void Judge_TwoHundredsDeliver_ExceptWeComErrorCodes(WebhookKind kind, int status, string? body, bool delivered)
    {
        Assert.Equal(delivered, DeliveryPolicy.Judge(kind, status, body).Delivered);
    }

    [Fact]
    public void Judge_NamesTheFailure()
    {
        Assert.Equal("http 503", DeliveryPolicy.Judge(WebhookKind.Generic, 503, null).Failure);
        Assert.Equal("wecom errcode 93000", DeliveryPolicy.Judge(WebhookKind.WeCom, 200, """{"errcode":93000}""").Failure);
    }
}
