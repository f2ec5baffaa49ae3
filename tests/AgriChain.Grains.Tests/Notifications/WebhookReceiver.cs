using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AgriChain.Grains.Tests.Notifications;

/// <summary>What a receiver endpoint answers: a status and an optional body.</summary>
public readonly record struct Answer(int Status, string? Body = null)
{
    public static implicit operator Answer(int status) => new(status);
}

/// <summary>A request as the receiver got it: the exact body bytes, the headers, and what it answered.</summary>
public sealed record ReceivedRequest(byte[] Body, IReadOnlyDictionary<string, string> Headers, int Status)
{
    public string Text => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// A real HTTP listener on 127.0.0.1 standing in for webhook receivers. Each test takes its own endpoint (a path),
/// scripts its answers by attempt number, and waits for arrivals by signal rather than by sleeping.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, ReceiverEndpoint> _endpoints = new(StringComparer.Ordinal);
    private readonly Task _accepting;

    public WebhookReceiver()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/");
        }

        _listener.Prefixes.Add(BaseAddress.ToString());
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri BaseAddress { get; }

    /// <summary>A new endpoint answering its n-th request (from 1) with <paramref name="answer"/>(n).</summary>
    public ReceiverEndpoint Endpoint(Func<int, Task<Answer>> answer)
    {
        var path = $"/hooks/{Guid.NewGuid():N}";
        var endpoint = new ReceiverEndpoint(new Uri(BaseAddress, path).ToString(), answer);
        _endpoints[path] = endpoint;
        return endpoint;
    }

    public ReceiverEndpoint Endpoint(Func<int, Answer> answer) => Endpoint(n => Task.FromResult(answer(n)));

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _accepting;
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = HandleAsync(context);
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        var headers = context.Request.Headers.AllKeys.OfType<string>()
            .ToDictionary(k => k, k => context.Request.Headers[k] ?? string.Empty, StringComparer.OrdinalIgnoreCase);
        var answer = _endpoints.TryGetValue(context.Request.Url!.AbsolutePath, out var endpoint)
            ? await endpoint.AnswerAsync(body.ToArray(), headers)
            : new Answer(404);
        context.Response.StatusCode = answer.Status;
        if (answer.Body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
        }

        context.Response.Close();
    }
}

public sealed class ReceiverEndpoint(string url, Func<int, Task<Answer>> answer)
{
    private readonly ConcurrentQueue<ReceivedRequest> _answered = new();
    private readonly SemaphoreSlim _arrivals = new(0);
    private int _attempts;

    public string Url => url;

    /// <summary>Requests answered so far, in order.</summary>
    public IReadOnlyList<ReceivedRequest> Requests => [.. _answered];

    /// <summary>Requests that got a 2xx.</summary>
    public IReadOnlyList<ReceivedRequest> Accepted => [.. _answered.Where(r => r.Status is >= 200 and < 300)];

    /// <summary>Waits until <paramref name="count"/> more requests have arrived (answered or not), failing after the deadline.</summary>
    public async Task WaitForArrivalsAsync(int count, TimeSpan deadline)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(await _arrivals.WaitAsync(deadline), $"Expected a request at {url} within {deadline}.");
        }
    }

    internal async Task<Answer> AnswerAsync(byte[] body, IReadOnlyDictionary<string, string> headers)
    {
        var attempt = Interlocked.Increment(ref _attempts);
        _arrivals.Release();
        var result = await answer(attempt);
        _answered.Enqueue(new ReceivedRequest(body, headers, result.Status));
        return result;
    }
}
