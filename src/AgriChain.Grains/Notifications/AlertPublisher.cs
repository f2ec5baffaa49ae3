using AgriChain.Contracts.Greenhouses;
using AgriChain.Contracts.Notifications;
using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.Notifications;
using Microsoft.Extensions.Logging;

namespace AgriChain.Grains.Notifications;

/// <summary>
/// Publishes alert changes from inside the silo: each change becomes a notification queued in the outbox of the
/// greenhouse's cooperative (durable; the call completes when it is stored), and the changes the outboxes had not
/// seen before go to the live stream, best effort. Publishing the same change again queues and streams nothing.
/// </summary>
public sealed partial class AlertPublisher(
    IGrainFactory grains,
    NotificationInstruments instruments,
    ILogger<AlertPublisher> logger) : IAlertPublisher
{
    public async Task PublishAsync(IReadOnlyList<AlertEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        cancellationToken.ThrowIfCancellationRequested();
        if (events.Count == 0)
        {
            return;
        }

        var changes = events.DistinctBy(e => e.EventId)
            .Select(e => (Event: e, Notification: AlertNotifications.From(e)))
            .ToList();
        var queued = await Task.WhenAll(changes
            .GroupBy(c => c.Event.Location.CooperativeId, StringComparer.Ordinal)
            .Select(owner => grains.GetGrain<INotificationOutboxGrain>(NotificationOwner.Cooperative(owner.Key).Key)
                .EnqueueAsync([.. owner.Select(c => c.Notification)])));

        var fresh = queued.SelectMany(ids => ids).ToHashSet(StringComparer.Ordinal);
        var live = changes.Where(c => fresh.Contains(c.Notification.Id))
            .Select(c => new LiveAlert(c.Notification, c.Event.Location.CooperativeId, c.Event.Location.FarmId))
            .ToList();
        if (live.Count == 0)
        {
            return;
        }

        try
        {
            await grains.GetGrain<IAlertHubGrain>(AlertHubGrain.Key).PublishAsync(live);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The webhooks have them; the live stream is a convenience and must not fail the caller.
            instruments.LivePublishFailed();
            LogLiveFailed(logger, e, live.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} alert changes were queued for webhooks but not streamed live")]
    private static partial void LogLiveFailed(ILogger logger, Exception exception, int count);
}
