using System.Diagnostics.Metrics;

namespace AgriChain.Grains.Notifications;

/// <summary>
/// Notification counters on the <c>AgriChain</c> meter: what was queued, delivered, retried and lost, and how the
/// live alert stream is doing.
/// </summary>
public sealed class NotificationInstruments
{
    public const string MeterName = "AgriChain";

    /// <summary>Tag naming the owner kind (<c>cooperative</c>, <c>buyer</c>).</summary>
    public const string OwnerKindTag = "agrichain.owner_kind";

    /// <summary>Tag naming the webhook kind (<c>generic</c>, <c>wecom</c>).</summary>
    public const string WebhookKindTag = "agrichain.webhook_kind";

    /// <summary>Tag naming why (<c>http</c>, <c>timeout</c>, <c>network</c>, <c>wecom</c>; <c>expired</c>, <c>overflow</c>).</summary>
    public const string ReasonTag = "agrichain.reason";

    private readonly Counter<long> _queued;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _failedAttempts;
    private readonly Counter<long> _dropped;
    private readonly UpDownCounter<long> _streamConnections;
    private readonly Counter<long> _streamDropped;
    private readonly Counter<long> _livePublishFailures;

    public NotificationInstruments(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _queued = meter.CreateCounter<long>("agrichain.notifications.queued", "{notification}",
            "Notifications accepted into an owner's outbox.");
        _duplicates = meter.CreateCounter<long>("agrichain.notifications.duplicates", "{notification}",
            "Notifications published again with an id the outbox already had; not delivered again.");
        _delivered = meter.CreateCounter<long>("agrichain.notifications.delivered", "{delivery}",
            "Notifications a webhook receiver accepted (2xx).");
        _failedAttempts = meter.CreateCounter<long>("agrichain.notifications.failed_attempts", "{attempt}",
            "Webhook delivery attempts that failed and will be retried.");
        _dropped = meter.CreateCounter<long>("agrichain.notifications.dropped", "{notification}",
            "Notifications a webhook will never get: older than 24 h, or pushed out of a full outbox.");
        _streamConnections = meter.CreateUpDownCounter<long>("agrichain.alert_stream.connections", "{connection}",
            "Open connections to the live alert stream on this silo.");
        _streamDropped = meter.CreateCounter<long>("agrichain.alert_stream.dropped", "{event}",
            "Live alerts dropped for a stream client that did not keep up.");
        _livePublishFailures = meter.CreateCounter<long>("agrichain.alert_stream.publish_failures", "{batch}",
            "Alert batches that could not be handed to the live stream hub.");
    }

    public void Queued(string ownerKind, int count) => _queued.Add(count, Tag(OwnerKindTag, ownerKind));

    public void Duplicates(string ownerKind, int count) => _duplicates.Add(count, Tag(OwnerKindTag, ownerKind));

    public void Delivered(string webhookKind) => _delivered.Add(1, Tag(WebhookKindTag, webhookKind));

    public void AttemptFailed(string webhookKind, string reason) =>
        _failedAttempts.Add(1, Tag(WebhookKindTag, webhookKind), Tag(ReasonTag, reason));

    public void Dropped(string webhookKind, string reason, long count) =>
        _dropped.Add(count, Tag(WebhookKindTag, webhookKind), Tag(ReasonTag, reason));

    public void StreamOpened() => _streamConnections.Add(1);

    public void StreamClosed() => _streamConnections.Add(-1);

    public void StreamDropped() => _streamDropped.Add(1);

    public void LivePublishFailed() => _livePublishFailures.Add(1);

    private static KeyValuePair<string, object?> Tag(string name, string value) => new(name, value);
}
