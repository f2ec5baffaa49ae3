using System.Net.Http.Headers;
using System.Text;
using System.Threading.Channels;
using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.MasterData;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AgriChain.Server.Tests.Notifications;

internal static class AlertEvents
{
    public static AlertEvent Opened(string cooperativeId, string farmId, string? alertId = null) =>
        Make(AlertChange.Opened, cooperativeId, farmId, alertId);

    public static AlertEvent Closed(string cooperativeId, string farmId, string alertId) =>
        Make(AlertChange.Closed, cooperativeId, farmId, alertId);

    private static AlertEvent Make(AlertChange change, string cooperativeId, string farmId, string? alertId)
    {
        var openedAt = new DateTimeOffset(2026, 3, 1, 5, 40, 0, TimeSpan.Zero);
        var alert = new Alert(alertId ?? $"alert-{Guid.NewGuid():N}", $"gh-of-{farmId}", AlertKind.TemperatureBelowFloor,
            GrowthStage.Flowering, 10, openedAt, change == AlertChange.Closed ? openedAt.AddMinutes(45) : null, 8.4,
            change == AlertChange.Closed ? 45 : 0, change == AlertChange.Closed ? 72 : 0, null, null, null);
        return new AlertEvent(change, alert,
            new GreenhouseLocation(alert.GreenhouseId, farmId, cooperativeId, new Region("Xibeizhuang", "Dongzhen", "Wenxi")));
    }
}

/// <summary>One server-sent event as a client reads it.</summary>
internal sealed record SseEvent(string? Event, string? Id, string Data);

/// <summary>An open <c>text/event-stream</c> response, read event by event with a deadline.</summary>
internal sealed class SseStream : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseStream(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body, Encoding.UTF8);
    }

    public HttpResponseMessage Response => _response;

    /// <summary>Opens the stream; returns once the response headers arrived (the server has subscribed by then).</summary>
    public static async Task<SseStream> OpenAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new SseStream(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The next event (comments skipped), failing when none arrives within <paramref name="deadline"/>.</summary>
    public async Task<SseEvent> NextEventAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        string? type = null, id = null;
        var data = new StringBuilder();
        try
        {
            while (true)
            {
                var line = await _reader.ReadLineAsync(timeout.Token)
                    ?? throw new EndOfStreamException("The server closed the event stream.");
                if (line.Length == 0)
                {
                    if (data.Length > 0)
                    {
                        return new SseEvent(type, id, data.ToString());
                    }

                    continue;
                }

                if (line.StartsWith(':'))
                {
                    continue;
                }

                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var (field, value) = colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..].TrimStart(' '));
                switch (field)
                {
                    case "event": type = value; break;
                    case "id": id = value; break;
                    case "data": data.Append(data.Length > 0 ? "\n" : "").Append(value); break;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Assert.Fail($"Expected a server-sent event within {deadline.TotalSeconds} s.");
            throw;
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
    }
}

/// <summary>A webhook delivery as the receiver got it.</summary>
internal sealed record ReceivedWebhook(string Path, byte[] Body, IReadOnlyDictionary<string, string> Headers, int Status);

/// <summary>A real Kestrel server on 127.0.0.1 standing in for a webhook receiver.</summary>
internal sealed class KestrelReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<ReceivedWebhook> _received = Channel.CreateUnbounded<ReceivedWebhook>();
    private int _attempts;

    private KestrelReceiver(Func<int, int> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/hooks/{name}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var status = answer(Interlocked.Increment(ref _attempts));
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            _received.Writer.TryWrite(new ReceivedWebhook(context.Request.Path, body.ToArray(), headers, status));
            return Results.StatusCode(status);
        });
    }

    public Uri BaseAddress => new(_app.Urls.Single());

    public string Url(string name) => new Uri(BaseAddress, $"/hooks/{name}").ToString();

    /// <summary>Starts a receiver answering its n-th request (from 1) with <paramref name="answer"/>(n).</summary>
    public static async Task<KestrelReceiver> StartAsync(Func<int, int> answer)
    {
        var receiver = new KestrelReceiver(answer);
        await receiver._app.StartAsync();
        return receiver;
    }

    /// <summary>The next request, failing when none arrives within <paramref name="deadline"/>.</summary>
    public async Task<ReceivedWebhook> NextAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            return await _received.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Assert.Fail($"Expected a webhook delivery at {BaseAddress} within {deadline.TotalSeconds} s.");
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
