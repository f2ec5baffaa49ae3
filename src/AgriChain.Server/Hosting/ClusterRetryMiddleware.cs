using System.Data.Common;
using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Orleans.Storage;

namespace AgriChain.Server.Hosting;

/// <summary>
/// Runs the endpoint again when its grain call failed because a silo died or the cluster was changing, for requests
/// that are safe to repeat, until <see cref="ClusterRetryOptions.Deadline"/> (counted from arrival) has passed; then it
/// answers 503 with <c>Retry-After</c> as a problem document. Every write in the API carries a client-chosen id and
/// every grain applies an id once, so a repeat of a request that did take effect answers the same result.
/// <list type="bullet">
/// <item>Retried: GET, HEAD, OPTIONS, PUT, DELETE, and POST unless the endpoint says otherwise with
/// <see cref="ClusterRetryExtensions.WithoutClusterRetry{TBuilder}"/>.</item>
/// <item>Retried failures: the grain's silo is unavailable or was declared dead, a message was rejected during a
/// membership change, a call or a connection timed out, a duplicate activation lost its state write (an Orleans
/// ETag conflict), or the database reported a transient error, anywhere in the exception's chain.</item>
/// <item>Never retried: a response that has started (a stream), a request the client abandoned, any other failure.</item>
/// </list>
/// The request body is buffered so that each attempt reads it from the start.
/// </summary>
internal sealed partial class ClusterRetryMiddleware(
    RequestDelegate next,
    IOptionsMonitor<AgriChainClusterOptions> options,
    TimeProvider time,
    IProblemDetailsService problems,
    ClusterRetryInstruments instruments,
    ILogger<ClusterRetryMiddleware> logger)
{
    /// <summary>
    /// Bodies up to this size are buffered in (pooled) memory; larger ones go to a temporary file. The default 30 KB
    /// sent every gateway batch of readings through the disk; 1 MiB holds a full batch of 10,000 readings.
    /// </summary>
    private const int InMemoryBodyLimit = 1024 * 1024;

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsRetriable(context))
        {
            await next(context);
            return;
        }

        var settings = options.CurrentValue.Retry ?? new ClusterRetryOptions();
        var arrived = time.GetTimestamp();
        var hasBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody
            ?? (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0);
        Stream? buffered = null;
        if (hasBody)
        {
            context.Request.EnableBuffering(InMemoryBodyLimit);
            buffered = context.Request.Body;
        }

        var route = RouteOf(context);
        var method = context.Request.Method;
        var backoff = FirstBackoff;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await next(context);
                if (attempt > 1)
                {
                    var total = time.GetElapsedTime(arrived);
                    LogRecovered(logger, method, route, attempt - 1, total.TotalMilliseconds);
                }

                return;
            }
            catch (Exception exception) when (IsClusterFailure(exception)
                && !context.Response.HasStarted
                && !context.RequestAborted.IsCancellationRequested)
            {
                var elapsed = time.GetElapsedTime(arrived);
                var wait = Jitter(backoff);
                if (elapsed + wait >= settings.Deadline)
                {
                    instruments.Unavailable();
                    LogGaveUp(logger, exception, method, route, attempt, elapsed.TotalMilliseconds);
                    await WriteUnavailableAsync(context, settings, exception);
                    return;
                }

                instruments.Retried();
                var failure = exception.GetType().Name;
                LogRetrying(logger, method, route, attempt, failure, wait.TotalMilliseconds);
                await Task.Delay(wait, time, context.RequestAborted);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));

                context.Response.Clear();
                if (buffered is not null)
                {
                    buffered.Position = 0;

                    // A new stream instance makes the server hand the endpoint a fresh body reader (the previous
                    // attempt may have completed its reader).
                    context.Request.Body = new RewoundBody(buffered);
                }
            }
        }
    }

    /// <summary>Whether <paramref name="exception"/>, or one inside it, says the cluster could not serve the call just now.</summary>
    internal static bool IsClusterFailure(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case OrleansMessageRejectionException: // includes SiloUnavailableException
                case ConnectionFailedException:
                case InconsistentStateException:
                case TimeoutException:
                case DbException { IsTransient: true }: // PostgreSQL restarting or failing over
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(IsClusterFailure):
                    return true;
            }
        }

        return false;
    }

    private static bool IsRetriable(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null)
        {
            return false;
        }

        var method = context.Request.Method;
        if (endpoint.Metadata.GetMetadata<NoClusterRetryMetadata>() is { } exclusion && exclusion.Covers(method))
        {
            return false;
        }

        return HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
            || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method) || HttpMethods.IsPost(method);
    }

    private static TimeSpan Jitter(TimeSpan backoff) =>
        // ±20 % so that requests that failed together do not all come back at the same instant.
        backoff * (0.8 + (0.4 * Random.Shared.NextDouble()));

    private static string RouteOf(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? "";

    private Task WriteUnavailableAsync(HttpContext context, ClusterRetryOptions settings, Exception exception)
    {
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        var seconds = (int)Math.Ceiling(settings.RetryAfter.TotalSeconds);
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The cluster could not serve this request in time.",
                Detail = $"A silo that this request needs is failing over; nothing more was changed after the last attempt. Send the same request again after {seconds.ToString(CultureInfo.InvariantCulture)} s: it is safe to repeat.",
                Type = "https://tools.ietf.org/html/rfc9110#section-15.6.4",
            },
        }).AsTask();
    }

    /// <summary>A non-owning view of the buffered body, read from where it stands (rewound before each attempt).</summary>
    private sealed class RewoundBody(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => inner.Position = value;
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
