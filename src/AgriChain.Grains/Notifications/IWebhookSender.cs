namespace AgriChain.Grains.Notifications;

/// <summary>One signed POST to a webhook receiver, ready to send.</summary>
public sealed record WebhookRequest(
    Uri Url,
    byte[] Body,
    string Signature,
    string EventType,
    string DeliveryId,
    DateTimeOffset AttemptedAt);

/// <summary>
/// What the receiver answered: its status and the start of its body, or, when there was no answer, why
/// (<c>timeout</c>, <c>network …</c>) with <see cref="StatusCode"/> 0.
/// </summary>
public readonly record struct WebhookResponse(int StatusCode, string? Body, string? Error)
{
    public static WebhookResponse NoAnswer(string error) => new(0, null, error);
}

/// <summary>Sends webhook requests. Never throws for a receiver's fault; only when <c>cancellationToken</c> fires.</summary>
public interface IWebhookSender
{
    Task<WebhookResponse> PostAsync(WebhookRequest request, CancellationToken cancellationToken);
}
