using AgriChain.Contracts.Notifications;
using AgriChain.Domain.Notifications;

namespace AgriChain.Server.Api.Notifications;

/// <summary><c>PUT …/webhooks/{name}</c>: where to deliver, the HMAC secret, and the body kind (default generic).</summary>
public sealed record WebhookRequest(string? Url, string? Secret, string? Kind);

/// <summary>A webhook as answered: never with its secret.</summary>
public sealed record WebhookResponse(string Name, string Url, string Kind, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, WebhookDeliveryResponse Delivery)
{
    public static WebhookResponse From(WebhookView v) => new(v.Name, v.Url, v.Kind.ToName(), v.CreatedAt, v.UpdatedAt,
        new WebhookDeliveryResponse(v.Pending, v.Progress.Delivered, v.Progress.Dropped, v.Progress.ConsecutiveFailures,
            v.Progress.NextAttemptAt, v.Progress.LastDeliveredAt, v.Progress.LastFailureAt, v.Progress.LastFailure));
}

/// <summary>How a webhook's deliveries are going: what waits, what got through, what was given up, and the last failure.</summary>
public sealed record WebhookDeliveryResponse(long Pending, long Delivered, long Dropped, int ConsecutiveFailures,
    DateTimeOffset? NextAttemptAt, DateTimeOffset? LastDeliveredAt, DateTimeOffset? LastFailureAt, string? LastFailure);

public sealed record WebhookListResponse(IReadOnlyList<WebhookResponse> Items, string? NextPageToken);
