using AgriChain.Domain.Greenhouses;

namespace AgriChain.Contracts.Greenhouses;

/// <summary>
/// Hands alert changes to everything that tells people about them: the owning cooperative's webhooks (a durable
/// outbox) and the live server-sent-event stream. Safe to call again with the same event: delivery is by
/// <see cref="AlertEvent.EventId"/>, once.
/// </summary>
public interface IAlertPublisher
{
    /// <summary>Completes when the events are durably queued for delivery (not when delivered).</summary>
    Task PublishAsync(IReadOnlyList<AlertEvent> events, CancellationToken cancellationToken = default);
}
