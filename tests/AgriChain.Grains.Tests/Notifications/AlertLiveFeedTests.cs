using System.Threading.Channels;
using AgriChain.Contracts.Greenhouses;
using AgriChain.Contracts.Notifications;
using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.MasterData;
using AgriChain.Domain.Notifications;
using AgriChain.Grains.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace AgriChain.Grains.Tests.Notifications;

/// <summary>The live alert stream below HTTP: published on one silo, read from the feed of another.</summary>
[Collection(NotificationClusterCollection.Name)]
public sealed class AlertLiveFeedTests(NotificationClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];

    private static AlertEvent Alert(string cooperativeId, string farmId, AlertChange change = AlertChange.Opened, string? alertId = null)
    {
        var openedAt = new DateTimeOffset(2026, 3, 1, 5, 40, 0, TimeSpan.Zero);
        var alert = new Alert(alertId ?? NewId("alert"), "gh-1", AlertKind.TemperatureBelowFloor, GrowthStage.Flowering, 10,
            openedAt, change == AlertChange.Closed ? openedAt.AddMinutes(30) : null, 8.4, 0, 0, null, null, null);
        return new AlertEvent(change, alert, new GreenhouseLocation("gh-1", farmId, cooperativeId, new Region("V", "T", "C")));
    }

    private static async Task<LiveAlert> NextAsync(ChannelReader<LiveAlert> reader)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        return await reader.ReadAsync(deadline.Token);
    }

    [Fact]
    public async Task AlertPublishedOnOneSilo_ReachesFeedsOnBothSilos()
    {
        var coop = NewId("coop");
        var publisher = fixture.Silo(0).GetRequiredService<IAlertPublisher>();
        using var remote = await fixture.Silo(1).GetRequiredService<AlertLiveFeed>().SubscribeAsync(a => a.CooperativeId == coop);
        using var local = await fixture.Silo(0).GetRequiredService<AlertLiveFeed>().SubscribeAsync(a => a.CooperativeId == coop);
        var opened = Alert(coop, "farm-a");

        await publisher.PublishAsync([opened]);

        var received = await NextAsync(remote.Reader);
        Assert.Equal(opened.EventId, received.Notification.Id);
        Assert.Equal(("alert.opened", coop, "farm-a"), (received.Notification.Type, received.CooperativeId, received.FarmId));
        Assert.Equal(opened.EventId, (await NextAsync(local.Reader)).Notification.Id);
    }

    [Fact]
    public async Task RepublishedAlert_IsNotStreamedAgain_AndOtherScopesAreFilteredOut()
    {
        var coop = NewId("coop");
        var other = NewId("coop");
        var publisher = fixture.Silo(0).GetRequiredService<IAlertPublisher>();
        using var mine = await fixture.Silo(1).GetRequiredService<AlertLiveFeed>().SubscribeAsync(a => a.CooperativeId == coop);
        var opened = Alert(coop, "farm-a");
        var closed = Alert(coop, "farm-a", AlertChange.Closed, opened.Alert.Id);

        await publisher.PublishAsync([opened]);
        await publisher.PublishAsync([opened, Alert(other, "farm-b")]);
        await publisher.PublishAsync([closed]);

        Assert.Equal(opened.EventId, (await NextAsync(mine.Reader)).Notification.Id);
        Assert.Equal(closed.EventId, (await NextAsync(mine.Reader)).Notification.Id);
    }

    [Fact]
    public async Task SlowSubscriber_LosesItsOldestAlerts_NotTheNewest()
    {
        var coop = NewId("coop");
        var feed = fixture.Silo(1).GetRequiredService<AlertLiveFeed>();
        using var slow = await feed.SubscribeAsync(a => a.CooperativeId == coop, capacity: 2);
        var alerts = Enumerable.Range(0, 5)
            .Select(_ => new LiveAlert(AlertNotifications.From(Alert(coop, "farm-a")), coop, "farm-a"))
            .ToList();

        // Straight into the feed, as the hub's one-way call would, so that nothing reads while the batch lands.
        await feed.OnAlertsAsync(alerts);

        Assert.Equal(alerts[3].Notification.Id, (await NextAsync(slow.Reader)).Notification.Id);
        Assert.Equal(alerts[4].Notification.Id, (await NextAsync(slow.Reader)).Notification.Id);
        Assert.False(slow.Reader.TryRead(out _));
    }

    [Fact]
    public async Task DisposedSubscription_StopsReceiving()
    {
        var feed = fixture.Silo(1).GetRequiredService<AlertLiveFeed>();
        var before = feed.SubscriberCount;
        var subscription = await feed.SubscribeAsync(_ => true);

        subscription.Dispose();

        Assert.Equal(before, feed.SubscriberCount);
        Assert.False(await subscription.Reader.WaitToReadAsync());
    }
}
