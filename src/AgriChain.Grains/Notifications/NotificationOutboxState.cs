using AgriChain.Domain.Notifications;

namespace AgriChain.Grains.Notifications;

/// <summary>
/// What an outbox stores. Bounded by <see cref="Outbox"/>: at most 20 webhooks, 10,000 queued notifications and
/// 10,000 remembered ids. Written as a fresh snapshot each time, so a write never sees the live outbox change under it.
/// </summary>
[GenerateSerializer, Alias("agrichain.notification-outbox-state")]
public sealed class NotificationOutboxState
{
    [Id(0)] public long LastSequence { get; set; }
    [Id(1)] public List<WebhookRecord> Webhooks { get; set; } = [];
    [Id(2)] public List<OutboxEntry> Pending { get; set; } = [];
    [Id(3)] public List<RememberedNotification> Remembered { get; set; } = [];
}
