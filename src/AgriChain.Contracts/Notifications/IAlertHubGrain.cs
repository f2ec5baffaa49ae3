using AgriChain.Domain.Notifications;
using Orleans.Concurrency;

namespace AgriChain.Contracts.Notifications;

/// <summary>
/// Carries live alerts across silos (one activation, key 0): every silo that holds alert-stream connections keeps an
/// <see cref="IAlertFeedObserver"/> subscribed here, and each published batch goes to all of them. Nothing is stored;
/// the stream is live only, and webhooks are the durable channel.
/// </summary>
[Alias("agrichain.alert-hub")]
public interface IAlertHubGrain : IGrainWithIntegerKey
{
    /// <summary>Adds or refreshes a silo's observer. Observers not refreshed for a while are forgotten.</summary>
    [Alias("subscribe")]
    Task SubscribeAsync(IAlertFeedObserver observer);

    [Alias("unsubscribe")]
    Task UnsubscribeAsync(IAlertFeedObserver observer);

    /// <summary>Hands the alerts to every live observer without waiting for them.</summary>
    [Alias("publish")]
    Task PublishAsync(IReadOnlyList<LiveAlert> alerts);
}

/// <summary>A silo's receiving end of the alert hub.</summary>
[Alias("agrichain.alert-feed-observer")]
public interface IAlertFeedObserver : IGrainObserver
{
    [Alias("on-alerts"), OneWay]
    Task OnAlertsAsync(IReadOnlyList<LiveAlert> alerts);
}

/// <summary>An alert notification on its way to stream watchers, with what their scope is checked against.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.live-alert")]
public sealed record LiveAlert(
    [property: Id(0)] Notification Notification,
    [property: Id(1)] string CooperativeId,
    [property: Id(2)] string FarmId);
