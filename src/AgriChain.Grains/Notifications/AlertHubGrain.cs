using AgriChain.Contracts.Notifications;
using Microsoft.Extensions.Logging;

namespace AgriChain.Grains.Notifications;

/// <summary>
/// Fans live alerts out to every silo's <see cref="AlertLiveFeed"/>. Alerts are rare next to readings, so one
/// activation carries them all. It holds observer references only, in memory: a silo keeps its observer here by
/// subscribing again every <see cref="AlertLiveFeed.RefreshPeriod"/>, and one that stops (no connections left, or
/// the silo died) is forgotten after <see cref="ObserverLifetime"/>. If the hub itself moves, feeds are back within
/// one refresh; alerts published in between reach webhooks but not the live stream.
/// </summary>
[GrainType("alert-hub")]
public sealed partial class AlertHubGrain(TimeProvider time, ILogger<AlertHubGrain> logger) : Grain, IAlertHubGrain
{
    /// <summary>The hub's key: there is one hub.</summary>
    public const long Key = 0;

    public static readonly TimeSpan ObserverLifetime = TimeSpan.FromMinutes(2);

    private readonly Dictionary<IAlertFeedObserver, DateTimeOffset> _observers = [];

    public Task SubscribeAsync(IAlertFeedObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _observers[observer] = time.GetUtcNow();
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(IAlertFeedObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _observers.Remove(observer);
        return Task.CompletedTask;
    }

    public Task PublishAsync(IReadOnlyList<LiveAlert> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        var now = time.GetUtcNow();
        foreach (var (observer, refreshedAt) in _observers.ToList())
        {
            if (now - refreshedAt > ObserverLifetime)
            {
                _observers.Remove(observer);
                LogForgotten(logger, ObserverLifetime);
                continue;
            }

            try
            {
                // One-way: a slow or vanished silo costs the hub nothing.
                _ = observer.OnAlertsAsync(alerts);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _observers.Remove(observer);
                LogSendFailed(logger, e);
            }
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Forgot an alert feed not refreshed within {Lifetime}")]
    private static partial void LogForgotten(ILogger logger, TimeSpan lifetime);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not hand live alerts to a feed; it is forgotten until it subscribes again")]
    private static partial void LogSendFailed(ILogger logger, Exception exception);
}
