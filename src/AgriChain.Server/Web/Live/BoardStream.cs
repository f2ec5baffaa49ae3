using System.Text;
using System.Text.Json;
using AgriChain.Domain.Notifications;
using AgriChain.Grains.Notifications;
using AgriChain.Server.Auth;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace AgriChain.Server.Web.Live;

/// <summary>
/// The board's live updates as server-sent events: <c>event: tile</c> with the tile's JSON whenever a tile of the
/// caller's board changes. An alert of the caller's scope (from the silo's live alert feed) triggers a re-read at
/// once; otherwise the tiles are re-read every <see cref="WebOptions.BoardRefreshSeconds"/> (new readings).
/// A comment line keeps proxies from closing a quiet connection.
/// </summary>
public sealed class BoardStream(
    WebDirectory directory,
    AlertLiveFeed feed,
    TimeProvider time,
    IOptions<WebOptions> options,
    IStringLocalizer<WebText> text,
    IHostApplicationLifetime lifetime)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task Open(HttpContext context, string? cooperative)
    {
        var caller = context.User.ToCaller();
        if (!AlertStreamAccess.CanOpen(caller))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var cancellationToken = stop.Token;
        using var subscription = await feed.SubscribeAsync(a => AlertStreamAccess.CanSee(caller, a.CooperativeId, a.FarmId));
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var sent = new Dictionary<string, Tile>(StringComparer.Ordinal);
        Task<bool>? pending = null;
        var feedOpen = true;
        var period = TimeSpan.FromSeconds(Math.Max(1, options.Value.BoardRefreshSeconds));
        try
        {
            await response.WriteAsync(": agrichain board\n\n", cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                var board = await directory.BoardAsync(caller, cooperative);
                var now = time.GetUtcNow();
                var changed = 0;
                foreach (var farm in board)
                {
                    var zone = WebFormat.Zone(farm.Farm.Profile.TimeZone);
                    foreach (var greenhouse in farm.Greenhouses)
                    {
                        var tile = Tile.From(greenhouse, text, zone, now);
                        if (sent.TryGetValue(tile.Id, out var before) && before == tile)
                        {
                            continue;
                        }

                        sent[tile.Id] = tile;
                        changed++;
                        await response.WriteAsync($"event: tile\nid: {tile.Id}\ndata: {JsonSerializer.Serialize(tile, Json)}\n\n", Encoding.UTF8, cancellationToken);
                    }
                }

                if (changed == 0)
                {
                    await response.WriteAsync(": quiet\n\n", cancellationToken);
                }

                await response.Body.FlushAsync(cancellationToken);

                // Until an alert of the caller's scope arrives or the period passes; one re-read covers every alert.
                using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var tick = Task.Delay(period, time, timer.Token);
                pending ??= feedOpen ? subscription.Reader.WaitToReadAsync(cancellationToken).AsTask() : null;
                if (pending is not null && await Task.WhenAny(pending, tick) == pending)
                {
                    feedOpen = await pending;
                    pending = null;
                    while (subscription.Reader.TryRead(out _))
                    {
                        // Drained: the next read of the tiles shows what these alerts changed.
                    }

                    if (!feedOpen)
                    {
                        await tick;
                    }
                }
                else
                {
                    await tick;
                }

                await timer.CancelAsync();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The browser left or the host is stopping.
        }
        catch (IOException)
        {
            // The connection broke.
        }
    }
}
