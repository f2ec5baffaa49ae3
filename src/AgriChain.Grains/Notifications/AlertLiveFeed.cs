using System.Collections.Concurrent;
using System.Threading.Channels;
using AgriChain.Contracts.Notifications;
using Microsoft.Extensions.Logging;

namespace AgriChain.Grains.Notifications;

/// <summary>
/// This silo's end of the live alert stream: one grain observer, kept subscribed at the <see cref="AlertHubGrain"/>
/// while any local connection is open, which copies each alert into the bounded buffer of every local subscriber
/// whose filter lets it through. A subscriber that does not keep up loses its oldest alerts, never the hub's time.
/// </summary>
public sealed partial class AlertLiveFeed(
    IGrainFactory grains,
    TimeProvider time,
    NotificationInstruments instruments,
    ILogger<AlertLiveFeed> logger) : IAlertFeedObserver, IDisposable
{
    /// <summary>How often the feed renews its subscription at the hub while it has subscribers.</summary>
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromSeconds(30);

    /// <summary>Alerts buffered per subscriber before the oldest are dropped.</summary>
    public const int DefaultCapacity = 256;

    private readonly ConcurrentDictionary<long, Subscriber> _subscribers = new();
    private readonly Lock _gate = new();
    private long _lastId;
    private IAlertFeedObserver? _reference;
    private ITimer? _refresh;
    private bool _disposed;

    public int SubscriberCount => _subscribers.Count;

    /// <summary>
    /// Starts receiving the alerts that <paramref name="filter"/> lets through. Completes once the hub knows this
    /// silo, so an alert published after it completes is delivered. Dispose the subscription to stop.
    /// </summary>
    public async Task<AlertFeedSubscription> SubscribeAsync(Func<LiveAlert, bool> filter, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var channel = Channel.CreateBounded<LiveAlert>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => instruments.StreamDropped());
        var id = Interlocked.Increment(ref _lastId);
        _subscribers[id] = new Subscriber(filter, channel.Writer);
        try
        {
            await RefreshAsync();
        }
        catch
        {
            Remove(id);
            throw;
        }

        return new AlertFeedSubscription(channel.Reader, () => Remove(id));
    }

    /// <summary>Called by the hub, from any silo.</summary>
    public Task OnAlertsAsync(IReadOnlyList<LiveAlert> alerts)
    {
        foreach (var subscriber in _subscribers.Values)
        {
            foreach (var alert in alerts)
            {
                if (subscriber.Filter(alert))
                {
                    subscriber.Writer.TryWrite(alert);
                }
            }
        }

        return Task.CompletedTask;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _refresh?.Dispose();
            try
            {
                if (_reference is not null)
                {
                    grains.DeleteObjectReference<IAlertFeedObserver>(_reference);
                }
            }
            catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
            {
                // The silo is already gone, and the reference with it.
            }
        }

        foreach (var subscriber in _subscribers.Values)
        {
            subscriber.Writer.TryComplete();
        }
    }

    private async Task RefreshAsync()
    {
        IAlertFeedObserver reference;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _reference ??= grains.CreateObjectReference<IAlertFeedObserver>(this);
            _refresh ??= time.CreateTimer(_ => _ = RefreshWhileInUseAsync(), null, RefreshPeriod, RefreshPeriod);
            reference = _reference;
        }

        await grains.GetGrain<IAlertHubGrain>(AlertHubGrain.Key).SubscribeAsync(reference);
    }

    private async Task RefreshWhileInUseAsync()
    {
        // Without subscribers the feed stops renewing and the hub forgets it.
        if (_subscribers.IsEmpty || _disposed)
        {
            return;
        }

        try
        {
            await RefreshAsync();
        }
        catch (Exception e) when (e is not ObjectDisposedException)
        {
            LogRefreshFailed(logger, e);
        }
    }

    private void Remove(long id)
    {
        if (_subscribers.TryRemove(id, out var subscriber))
        {
            subscriber.Writer.TryComplete();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the live alert subscription at the hub; retrying in the next period")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);

    private sealed record Subscriber(Func<LiveAlert, bool> Filter, ChannelWriter<LiveAlert> Writer);
}

/// <summary>A subscriber's buffer of live alerts; disposing it unsubscribes.</summary>
public sealed class AlertFeedSubscription(ChannelReader<LiveAlert> reader, Action unsubscribe) : IDisposable
{
    public ChannelReader<LiveAlert> Reader => reader;

    public void Dispose() => unsubscribe();
}
