using System.Reflection;
using System.Text;
using System.Threading.Channels;
using AgriChain.Contracts.Notifications;
using AgriChain.Domain.Notifications;
using AgriChain.Grains.Notifications;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace AgriChain.Server.Api.Notifications;

/// <summary>
/// Writes live alerts to one client as <c>text/event-stream</c>: <c>event: alert.opened</c>, <c>id: &lt;event id&gt;</c>
/// and <c>data: &lt;the generic webhook body&gt;</c> per alert, and a comment line every
/// <see cref="HeartbeatInterval"/> so proxies keep the connection open. Runs until the client leaves or the host stops.
/// </summary>
public sealed class AlertEventStream(
    AlertLiveFeed feed,
    Func<LiveAlert, bool> filter,
    TimeProvider time,
    NotificationInstruments instruments,
    CancellationToken stopping) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public const string MediaType = "text/event-stream";
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(15);

    private static readonly byte[] Opening = Encoding.UTF8.GetBytes(": agrichain alert stream\n\n");
    private static readonly byte[] Heartbeat = Encoding.UTF8.GetBytes(": heartbeat\n\n");

    public int? StatusCode => StatusCodes.Status200OK;

    public string ContentType => MediaType;

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), [MediaType]));
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, stopping);
        var cancellationToken = stop.Token;

        // Subscribed before the headers go out: whatever is published after the client sees them reaches it.
        using var subscription = await feed.SubscribeAsync(filter);
        instruments.StreamOpened();
        try
        {
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = MediaType;
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no";
            httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await response.Body.WriteAsync(Opening, cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
            await PumpAsync(subscription.Reader, response.Body, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client left or the host is stopping.
        }
        catch (IOException)
        {
            // The connection broke while writing.
        }
        finally
        {
            instruments.StreamClosed();
        }
    }

    /// <summary>One server-sent event: <c>event</c>, <c>id</c> and the body on one <c>data</c> line.</summary>
    private static byte[] Frame(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var frame = new MemoryStream();
        frame.Write(Encoding.UTF8.GetBytes($"event: {SingleLine(notification.Type)}\nid: {SingleLine(notification.Id)}\ndata: "));
        frame.Write(NotificationBodies.Generic(notification));
        frame.Write("\n\n"u8);
        return frame.ToArray();
    }

    private async Task PumpAsync(ChannelReader<LiveAlert> reader, Stream body, CancellationToken cancellationToken)
    {
        var waiting = reader.WaitToReadAsync(cancellationToken).AsTask();
        while (true)
        {
            if (!await ReadyBeforeHeartbeatAsync(waiting, cancellationToken))
            {
                await body.WriteAsync(Heartbeat, cancellationToken);
                await body.FlushAsync(cancellationToken);
                continue;
            }

            if (!await waiting)
            {
                return;
            }

            while (reader.TryRead(out var alert))
            {
                await body.WriteAsync(Frame(alert.Notification), cancellationToken);
            }

            await body.FlushAsync(cancellationToken);
            waiting = reader.WaitToReadAsync(cancellationToken).AsTask();
        }
    }

    private async Task<bool> ReadyBeforeHeartbeatAsync(Task waiting, CancellationToken cancellationToken)
    {
        using var beat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = Task.Delay(HeartbeatInterval, time, beat.Token);
        var first = await Task.WhenAny(waiting, heartbeat);
        await beat.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
        return first == waiting;
    }

    private static string SingleLine(string value) => value.Replace('\r', ' ').Replace('\n', ' ');
}
