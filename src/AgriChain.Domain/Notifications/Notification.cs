namespace AgriChain.Domain.Notifications;

/// <summary>
/// One thing to tell an owner, already rendered by its producer (alerts today, supply watches later): an id that
/// identifies it across retries and re-publications, a type such as <c>alert.opened</c>, when it happened, the
/// <c>data</c> member of the webhook body as compact JSON, and a short human-readable text for chat robots.
/// The outbox queues, signs and delivers notifications without knowing what they are about.
/// </summary>
[GenerateSerializer, Immutable, Alias("agrichain.notification")]
public sealed record Notification(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string DataJson,
    [property: Id(4)] string Text);
