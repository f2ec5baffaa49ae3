using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgriChain.Contracts.Notifications;
using AgriChain.Domain.Common;
using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.MasterData;
using AgriChain.Domain.Notifications;

namespace AgriChain.Grains.Tests.Notifications;

[Collection(NotificationClusterCollection.Name)]
public sealed class NotificationOutboxGrainTests(NotificationClusterFixture fixture)
{
    private const string Secret = "whsec-test-0123456789";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];

    private INotificationOutboxGrain NewOutbox(out string cooperativeId)
    {
        cooperativeId = NewId("coop");
        return fixture.Grains.GetGrain<INotificationOutboxGrain>(NotificationOwner.Cooperative(cooperativeId).Key);
    }

    private static AlertEvent ColdAlert(string cooperativeId, AlertChange change = AlertChange.Opened, string? alertId = null)
    {
        var openedAt = new DateTimeOffset(2026, 3, 1, 5, 40, 0, TimeSpan.Zero);
        var alert = new Alert(alertId ?? NewId("alert"), "xbz-gh-07", AlertKind.TemperatureBelowFloor, GrowthStage.Flowering,
            10, openedAt, change == AlertChange.Closed ? openedAt.AddMinutes(20) : null, 8.4, 0, 0, null, null, null);
        return new AlertEvent(change, alert, new GreenhouseLocation("xbz-gh-07", "xbz-park", cooperativeId,
            new Region("Xibeizhuang", "Dongzhen", "Wenxi")));
    }

    private static Notification Note(string id) => new(id, "alert.opened",
        new DateTimeOffset(2026, 3, 1, 5, 40, 0, TimeSpan.Zero), $$"""{"id":"{{id}}"}""", $"text {id}");

    private static async Task<ReceiverEndpoint> AddWebhookAsync(INotificationOutboxGrain outbox, ReceiverEndpoint endpoint,
        string name = "ops", WebhookKind kind = WebhookKind.Generic)
    {
        var result = await outbox.PutWebhookAsync(name, new WebhookSpec(endpoint.Url, Secret, kind));
        Assert.Equal(UpsertOutcome.Created, result.Outcome);
        return endpoint;
    }

    private static WebhookView Webhook(OutboxStatus status, string name = "ops") => status.Webhooks.Single(w => w.Name == name);

    [Fact]
    public async Task Delivery_IsSignedWithTheWebhookSecret_AndCarriesTheContractHeaders()
    {
        var outbox = NewOutbox(out var coop);
        var endpoint = await AddWebhookAsync(outbox, fixture.Receiver.Endpoint(_ => 204));
        var alert = ColdAlert(coop);

        Assert.Equal([alert.EventId], await outbox.EnqueueAsync([AlertNotifications.From(alert)]));
        await outbox.DeliverDueAsync();

        var request = Assert.Single(endpoint.Requests);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), request.Body);
        Assert.Equal("sha256=" + Convert.ToHexStringLower(mac), request.Headers["X-AgriChain-Signature"]);
        Assert.Equal("alert.opened", request.Headers["X-AgriChain-Event"]);
        Assert.Equal(alert.EventId, request.Headers["X-AgriChain-Delivery"]);
        Assert.Equal(fixture.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            request.Headers["X-AgriChain-Timestamp"]);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);

        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal(["id", "type", "at", "data"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(alert.EventId, root.GetProperty("id").GetString());
        Assert.Equal("temperature-below-floor", root.GetProperty("data").GetProperty("kind").GetString());
        Assert.Equal(coop, root.GetProperty("data").GetProperty("cooperativeId").GetString());
        Assert.Equal(alert.Alert.OpenedAt, root.GetProperty("at").GetDateTimeOffset());

        var status = await outbox.GetStatusAsync();
        Assert.Equal(0, status.Pending);
        Assert.Equal(1, Webhook(status).Progress.Delivered);
        Assert.Equal(fixture.Clock.GetUtcNow(), Webhook(status).Progress.LastDeliveredAt);
    }

    [Fact]
    public async Task FailedAttempt_IsRetriedAfterTheBackoff_AndDeliveredExactlyOnce()
    {
        var outbox = NewOutbox(out _);
        var endpoint = await AddWebhookAsync(outbox, fixture.Receiver.Endpoint(n => n == 1 ? 500 : 200));
        await outbox.EnqueueAsync([Note("n1")]);

        await outbox.DeliverDueAsync();
        var failed = Webhook(await outbox.GetStatusAsync());
        await outbox.DeliverDueAsync();

        Assert.Equal([500], endpoint.Requests.Select(r => r.Status));
        Assert.Equal(1, failed.Progress.ConsecutiveFailures);
        Assert.Equal("http 500", failed.Progress.LastFailure);
        var wait = failed.Progress.NextAttemptAt!.Value - fixture.Clock.GetUtcNow();
        Assert.InRange(wait, TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(10));

        fixture.Clock.Advance(TimeSpan.FromSeconds(10));
        await outbox.DeliverDueAsync();
        fixture.Clock.Advance(TimeSpan.FromMinutes(10));
        await outbox.DeliverDueAsync();

        Assert.Equal([500, 200], endpoint.Requests.Select(r => r.Status));
        Assert.Equal(endpoint.Requests[0].Body, endpoint.Requests[1].Body);
        Assert.All(endpoint.Requests, r => Assert.Equal("n1", r.Headers["X-AgriChain-Delivery"]));
        var delivered = Webhook(await outbox.GetStatusAsync());
        Assert.Equal((1, 0, 0L), (delivered.Progress.Delivered, delivered.Progress.ConsecutiveFailures, delivered.Pending));
        Assert.Null(delivered.Progress.NextAttemptAt);
    }

    [Fact]
    public async Task SameNotificationEnqueuedTwice_IsDeliveredOnce()
    {
        var outbox = NewOutbox(out var coop);
        var endpoint = await AddWebhookAsync(outbox, fixture.Receiver.Endpoint(_ => 200));
        var notification = AlertNotifications.From(ColdAlert(coop));

        var first = await outbox.EnqueueAsync([notification, notification]);
        var second = await outbox.EnqueueAsync([notification]);
        await outbox.DeliverDueAsync();
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        await outbox.DeliverDueAsync();

        Assert.Equal([notification.Id], first);
        Assert.Empty(second);
        Assert.Single(endpoint.Requests);
    }

    [Fact]
    public async Task FailingWebhook_DoesNotHoldBackOrDuplicateAnother()
    {
        var outbox = NewOutbox(out _);
        var broken = await AddWebhookAsync(outbox, fixture.Receiver.Endpoint(_ => 503), "broken");
        var healthy = await AddWebhookAsync(outbox, fixture.Receiver.Endpoint(_ => 200), "healthy");
        await outbox.EnqueueAsync([Note("n1"), Note("n2"), Note("n3")]);

        await outbox.DeliverDueAsync();
        fixture.Clock.Advance(TimeSpan.FromSeconds(10));
        await outbox.DeliverDueAsync();
        fixture.Clock.Advance(TimeSpan.FromSeconds(20));
        await outbox.DeliverDueAsync();

        Assert.Equal(["n1", "n2", "n3"], healthy.Requests.Select(r => r.Headers["X-AgriChain-Delivery"]));
        Assert.Equal(["n1", "n1", "n1"], broken.Requests.Select(r => r.Headers["X-AgriChain-Delivery"]));
        var status = await outbox.GetStatusAsync();
        Assert.Equal(3, status.Pending);
        Assert.Equal(0, Webhook(status, "healthy").Pending);
        Assert.Equal(3, Webhook(status, "broken").Pending);
        Assert.Equal(3, Webhook(status, "broken").Progress.ConsecutiveFailures);
    }

    [Fact]
    public async Task NotificationQueuedForADay_IsDropped()
    {
        var outbox = NewOutbox(out _);
        var endpoint = await AddWebhookAsync(outbox, fixture.Receiver.Endpoint(_ => 500));
        await outbox.EnqueueAsync([Note("n1")]);
        await outbox.DeliverDueAsync();

        fixture.Clock.Advance(TimeSpan.FromHours(24));
        await outbox.DeliverDueAsync();

        Assert.Single(endpoint.Requests);
        var status = await outbox.GetStatusAsync();
        Assert.Equal(0, status.Pending);
        Assert.Equal((1L, 0L), (Webhook(status).Progress.Dropped, Webhook(status).Pending));
    }

    [Fact]
    public async Task PendingNotification_SurvivesDeactivation_AndIsDeliveredAfterwards()
    {
        var outbox = NewOutbox(out _);
        var endpoint = await AddWebhookAsync(outbox, fixture.Receiver.Endpoint(n => n == 1 ? 500 : 200));
        await outbox.EnqueueAsync([Note("n1")]);
        await outbox.DeliverDueAsync();

        await fixture.DeactivateAsync(outbox);
        var restored = await outbox.GetStatusAsync();
        fixture.Clock.Advance(TimeSpan.FromSeconds(10));
        await outbox.DeliverDueAsync();

        Assert.Equal(1, restored.Pending);
        Assert.Equal(1, Webhook(restored).Progress.ConsecutiveFailures);
        Assert.Equal([500, 200], endpoint.Requests.Select(r => r.Status));
        Assert.Equal(0, (await outbox.GetStatusAsync()).Pending);
    }

    [Fact]
    public async Task RememberedIds_SurviveDeactivation()
    {
        var outbox = NewOutbox(out _);
        var endpoint = await AddWebhookAsync(outbox, fixture.Receiver.Endpoint(_ => 200));
        await outbox.EnqueueAsync([Note("n1")]);
        await outbox.DeliverDueAsync();

        await fixture.DeactivateAsync(outbox);

        Assert.Empty(await outbox.EnqueueAsync([Note("n1")]));
        await outbox.DeliverDueAsync();
        Assert.Single(endpoint.Requests);
    }

    [Fact]
    public async Task SlowReceiver_DoesNotHoldUpEnqueueing()
    {
        var outbox = NewOutbox(out _);
        var release = new TaskCompletionSource<Answer>(TaskCreationOptions.RunContinuationsAsynchronously);
        var endpoint = await AddWebhookAsync(outbox, fixture.Receiver.Endpoint(n => n == 1 ? release.Task : Task.FromResult<Answer>(200)));
        await outbox.EnqueueAsync([Note("n1")]);
        var pass = outbox.DeliverDueAsync();
        await endpoint.WaitForArrivalsAsync(1, Deadline);

        var queuedWhileSending = await outbox.EnqueueAsync([Note("n2")]).WaitAsync(Deadline);
        var pendingWhileSending = (await outbox.GetStatusAsync().WaitAsync(Deadline)).Pending;
        release.SetResult(200);
        await pass;
        await outbox.DeliverDueAsync();

        Assert.Equal(["n2"], queuedWhileSending);
        Assert.Equal(2, pendingWhileSending);
        Assert.Equal(["n1", "n2"], endpoint.Requests.Select(r => r.Headers["X-AgriChain-Delivery"]));
    }

    [Fact]
    public async Task WeComWebhook_GetsARobotTextMessage_AndRetriesWhenTheRobotRefuses()
    {
        var outbox = NewOutbox(out var coop);
        var endpoint = await AddWebhookAsync(outbox, fixture.Receiver.Endpoint(n => n == 1
            ? new Answer(200, """{"errcode":45009,"errmsg":"api freq out of limit"}""")
            : new Answer(200, """{"errcode":0,"errmsg":"ok"}""")), "robot", WebhookKind.WeCom);
        await outbox.EnqueueAsync([AlertNotifications.From(ColdAlert(coop))]);

        await outbox.DeliverDueAsync();
        var refused = Webhook(await outbox.GetStatusAsync(), "robot");
        fixture.Clock.Advance(TimeSpan.FromSeconds(10));
        await outbox.DeliverDueAsync();

        Assert.Equal("wecom errcode 45009", refused.Progress.LastFailure);
        Assert.Equal(2, endpoint.Requests.Count);
        var request = endpoint.Requests[1];
        Assert.True(WebhookSignature.Verify(request.Body, Secret, request.Headers["X-AgriChain-Signature"]));
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("text", body.RootElement.GetProperty("msgtype").GetString());
        var content = body.RootElement.GetProperty("text").GetProperty("content").GetString()!;
        Assert.StartsWith("【AgriChain】告警 Alert opened：温度低于下限 Temperature below floor", content, StringComparison.Ordinal);
        Assert.Contains("时间 Time 2026-03-01 13:40 (Asia/Shanghai)", content, StringComparison.Ordinal);
        Assert.Equal(1, Webhook(await outbox.GetStatusAsync(), "robot").Progress.Delivered);
    }

    [Fact]
    public async Task Webhooks_AreCreatedUnchangedUpdatedAndDeleted()
    {
        var outbox = NewOutbox(out _);
        var spec = new WebhookSpec("https://example.org/hook", Secret, WebhookKind.Generic);

        var created = await outbox.PutWebhookAsync("ops", spec);
        var same = await outbox.PutWebhookAsync("ops", spec);
        var updated = await outbox.PutWebhookAsync("ops", spec with { Secret = Secret + "-rotated" });
        var listed = await outbox.ListWebhooksAsync();
        var deleted = await outbox.DeleteWebhookAsync("ops");
        var deletedAgain = await outbox.DeleteWebhookAsync("ops");

        Assert.Equal([UpsertOutcome.Created, UpsertOutcome.Unchanged, UpsertOutcome.Updated],
            new[] { created, same, updated }.Select(r => r.Outcome));
        Assert.Equal(("ops", "https://example.org/hook", WebhookKind.Generic), (listed[0].Name, listed[0].Url, listed[0].Kind));
        Assert.True(deleted);
        Assert.False(deletedAgain);
        Assert.Empty(await outbox.ListWebhooksAsync());
    }

    [Fact]
    public async Task DeletedWebhook_GetsNothingMore_AndItsBacklogIsDropped()
    {
        var outbox = NewOutbox(out _);
        var endpoint = await AddWebhookAsync(outbox, fixture.Receiver.Endpoint(_ => 500));
        await outbox.EnqueueAsync([Note("n1"), Note("n2")]);
        await outbox.DeliverDueAsync();

        Assert.True(await outbox.DeleteWebhookAsync("ops"));
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        await outbox.DeliverDueAsync();

        Assert.Single(endpoint.Requests);
        Assert.Equal(0, (await outbox.GetStatusAsync()).Pending);
    }
}
