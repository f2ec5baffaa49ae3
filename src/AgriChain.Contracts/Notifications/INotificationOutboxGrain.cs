using AgriChain.Domain.Common;
using AgriChain.Domain.Notifications;
using Orleans.Concurrency;

namespace AgriChain.Contracts.Notifications;

/// <summary>
/// The durable outbox of one notification owner (key: <see cref="NotificationOwner.Key"/>, e.g.
/// <c>cooperative:xibeizhuang</c>): its webhooks, the notifications queued for them, and their delivery. Delivery is
/// at least once per webhook and in order; receivers drop repeats by the <c>X-AgriChain-Delivery</c> id.
/// </summary>
[Alias("agrichain.notification-outbox")]
public interface INotificationOutboxGrain : IGrainWithStringKey
{
    /// <summary>
    /// Queues the notifications whose ids the outbox has not seen, for every webhook the owner has now, and completes
    /// once they are stored. Returns the ids that were new; repeats are left out and not delivered again.
    /// </summary>
    [Alias("enqueue")]
    Task<IReadOnlyList<string>> EnqueueAsync(IReadOnlyList<Notification> notifications);

    /// <summary>Creates or changes a webhook; refused with <see cref="UpsertOutcome.Conflict"/> past the per-owner limit.</summary>
    [Alias("put-webhook")]
    Task<UpsertResult<WebhookView>> PutWebhookAsync(string name, WebhookSpec spec);

    /// <summary>The webhooks, by name, without their secrets.</summary>
    [Alias("list-webhooks")]
    Task<IReadOnlyList<WebhookView>> ListWebhooksAsync();

    /// <summary>Deletes a webhook; false when there was none of that name.</summary>
    [Alias("delete-webhook")]
    Task<bool> DeleteWebhookAsync(string name);

    /// <summary>
    /// Delivers what is due now: drops expired notifications, then sends each due webhook its next notifications in
    /// order until one fails. The grain's timer calls it; it interleaves with other calls so that a slow receiver
    /// never holds up enqueueing. Completes after a pass that started after the call.
    /// </summary>
    [Alias("deliver-due"), AlwaysInterleave]
    Task DeliverDueAsync();

    /// <summary>Queue length, remembered ids and the webhooks' progress, for operators and tests.</summary>
    [Alias("status")]
    Task<OutboxStatus> GetStatusAsync();
}

/// <summary>A webhook as clients see it: never with its secret.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.webhook-view")]
public sealed record WebhookView(
    [property: Id(0)] string Name,
    [property: Id(1)] string Url,
    [property: Id(2)] WebhookKind Kind,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset UpdatedAt,
    [property: Id(5)] long Pending,
    [property: Id(6)] WebhookProgress Progress);

/// <summary>The state of an outbox.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.outbox-status")]
public sealed record OutboxStatus(
    [property: Id(0)] int Pending,
    [property: Id(1)] int Remembered,
    [property: Id(2)] IReadOnlyList<WebhookView> Webhooks);
