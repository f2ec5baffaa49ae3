using System.IO.Pipelines;
using System.Text;
using AgriChain.Grains.Notifications;
using AgriChain.Server.Api.Notifications;
using AgriChain.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgriChain.Server.Tests.Notifications;

/// <summary>The event-stream writer on its own: heartbeats on a fake clock, and an end when the host stops.</summary>
[Collection(AppCollection.Name)]
public sealed class AlertEventStreamTests(AppFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task IdleStream_SendsACommentHeartbeatEveryFifteenSeconds_AndEndsWhenTheHostStops()
    {
        var services = fixture.App.Services;
        var clock = new FakeTimeProvider();
        using var stopping = new CancellationTokenSource();
        var result = new AlertEventStream(services.GetRequiredService<AlertLiveFeed>(), _ => false, clock,
            services.GetRequiredService<NotificationInstruments>(), stopping.Token);
        var pipe = new Pipe();
        var context = new DefaultHttpContext();
        context.Response.Body = pipe.Writer.AsStream();
        using var output = new StreamReader(pipe.Reader.AsStream(), Encoding.UTF8);

        var running = result.ExecuteAsync(context);
        var opening = await ReadLineAsync(output);
        var heartbeat = await AdvanceUntilLineAsync(clock, output);
        await stopping.CancelAsync();
        await running.WaitAsync(Deadline);

        Assert.Equal(": agrichain alert stream", opening);
        Assert.Equal(": heartbeat", heartbeat);
        Assert.Equal("text/event-stream", context.Response.ContentType);
        Assert.Equal("no-cache", context.Response.Headers.CacheControl.ToString());
    }

    private static async Task<string> ReadLineAsync(StreamReader output)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        string? line;
        do
        {
            line = await output.ReadLineAsync(timeout.Token);
        }
        while (line == string.Empty);

        return line ?? throw new EndOfStreamException();
    }

    /// <summary>Moves the clock a heartbeat interval at a time until the writer says something.</summary>
    private static async Task<string> AdvanceUntilLineAsync(FakeTimeProvider clock, StreamReader output)
    {
        var until = DateTime.UtcNow + Deadline;
        while (DateTime.UtcNow < until)
        {
            clock.Advance(AlertEventStream.HeartbeatInterval);
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            try
            {
                var line = await output.ReadLineAsync(wait.Token);
                if (!string.IsNullOrEmpty(line))
                {
                    return line;
                }
            }
            catch (OperationCanceledException) when (wait.IsCancellationRequested)
            {
                // The writer had not started waiting yet; move the clock again.
            }
        }

        Assert.Fail($"Expected a heartbeat within {Deadline.TotalSeconds} s.");
        throw new TimeoutException();
    }
}
