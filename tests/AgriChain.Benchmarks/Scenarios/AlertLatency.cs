using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using AgriChain.Benchmarks.Infrastructure;
using AgriChain.Benchmarks.Reporting;

namespace AgriChain.Benchmarks.Scenarios;

/// <summary>
/// Scenario 3. While background gateways send about 10,000 readings/s, a probe posts one below-floor reading to a
/// flowering greenhouse and times how long until the alert arrives on the server-sent alert stream. Alternating with
/// it, a probe posts one in-band reading and times its durable acknowledgement: the baseline, since no alert can be
/// known before its reading is stored.
/// </summary>
internal static class AlertLatency
{
    private const int BackgroundWorkers = 4;
    private const int WarmupProbes = 10;
    private const int BackgroundBatch = 100;
    private const double TargetP99Ms = 50;
    private static readonly TimeSpan BackgroundPace = TimeSpan.FromMilliseconds(40);
    private static readonly TimeSpan EventDeadline = TimeSpan.FromSeconds(15);

    public static async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        var profile = context.Profile;
        var samples = profile.AlertSamples;
        BenchContext.Log($"3. Alert latency: {samples} below-floor probes under ~{BackgroundWorkers * BackgroundBatch * (1000 / BackgroundPace.TotalMilliseconds):N0} readings/s of background load");
        var probes = Enumerable.Range(0, BenchContext.Probes).Select(AgriChainApi.ProbeId).ToArray();
        var clocks = probes.ToDictionary(p => p, _ => context.FeedStart, StringComparer.Ordinal);
        using var client = AgriChainApi.Client(context.Server.BaseAddress, 4);
        async Task<double> PostAsync(string probe, double temperature)
        {
            clocks[probe] = clocks[probe].AddSeconds(1);
            var started = Stopwatch.GetTimestamp();
            await AgriChainApi.PostReadingsAsync(client, probe, ReadingFeed.SingleReading(clocks[probe], temperature), 1);
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        foreach (var probe in probes)
        {
            await PostAsync(probe, 15);
        }

        using var stream = await AlertStream.OpenAsync(context.Server.BaseAddress);
        using var stopBackground = new CancellationTokenSource();
        var ids = Enumerable.Range(0, profile.Greenhouses).Select(ReadingFeed.GreenhouseId).ToArray();
        using var backgroundClient = AgriChainApi.Client(context.Server.BaseAddress, BackgroundWorkers);
        var cursors = Enumerable.Range(0, BackgroundWorkers).ToArray();
        var background = LoadRunner.RunAsync(BackgroundWorkers, TimeSpan.FromMinutes(10), async (worker, _) =>
        {
            var greenhouse = cursors[worker];
            cursors[worker] = greenhouse + BackgroundWorkers < ids.Length ? greenhouse + BackgroundWorkers : worker;
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(16 * 1024);
            await using var json = new Utf8JsonWriter(buffer);
            context.Feed.WriteRequest(json, greenhouse, BackgroundBatch);
            return await AgriChainApi.PostReadingsAsync(backgroundClient, ids[greenhouse], buffer.WrittenMemory, BackgroundBatch);
        }, BackgroundPace, stopBackground.Token);

        // Let the background load settle before the first probe.
        await Task.Delay(TimeSpan.FromSeconds(1));

        // Warm: the first alerts activate the rollup and hub grains and run the alert path for the first time (JIT);
        // they are not timed, as the other scenarios warm up before their samples.
        for (var i = 0; i < WarmupProbes; i++)
        {
            var probe = probes[i % probes.Length];
            var opened = stream.Expect(probe);
            await PostAsync(probe, 8);
            await opened.WaitAsync(EventDeadline);
            await PostAsync(probe, 15);
        }

        var meter = ResourceMeter.Start(context.Processes());
        var alertMs = new List<double>();
        var ackMs = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            var probe = probes[i % probes.Length];
            var opened = stream.Expect(probe);
            var started = Stopwatch.GetTimestamp();
            await PostAsync(probe, 8);
            var arrived = await opened.WaitAsync(EventDeadline);
            alertMs.Add(Stopwatch.GetElapsedTime(started, arrived).TotalMilliseconds);
            await PostAsync(probe, 15);

            ackMs.Add(await PostAsync(probes[(i + (probes.Length / 2)) % probes.Length], 15));
        }

        var resources = meter.Stop();
        await stopBackground.CancelAsync();
        var load = await background;

        var perRound = Math.Max(1, samples / profile.Rounds);
        var rounds = Enumerable.Range(0, profile.Rounds).Select(r =>
        {
            var a = Stats.Percentile(alertMs.Skip(r * perRound).Take(perRound), 99);
            var b = Stats.Percentile(ackMs.Skip(r * perRound).Take(perRound), 99);
            return new RoundResult(r + 1, a, b, a / b);
        }).ToList();
        var p99 = Stats.Percentile(alertMs, 99);
        return new ScenarioResult
        {
            Id = "3",
            Name = "Alert latency",
            Metric = "below-floor reading to alert on the SSE stream, p99",
            Unit = "ms",
            Value = p99,
            Baseline = Stats.Percentile(ackMs, 99),
            Ratio = Stats.Median(rounds.Select(r => r.Ratio)),
            RatioRule = "AgriChain alert p99 / in-band reading acknowledgement p99 per round, median of the rounds (lower is better; ≥ 1 expected)",
            Target = "p99 ≤ 50 ms",
            P50Ms = Stats.Percentile(alertMs, 50),
            P99Ms = p99,
            Met = p99 <= TargetP99Ms,
            BaselineDescription = "the durable acknowledgement of one in-band reading posted to another probe greenhouse under the same load, alternating with the alert probes",
            BaselineP50Ms = Stats.Percentile(ackMs, 50),
            BaselineP99Ms = Stats.Percentile(ackMs, 99),
            Rounds = rounds,
            Resources = resources,
            Notes =
            [
                string.Create(CultureInfo.InvariantCulture, $"{samples} alerts timed (after {WarmupProbes} untimed ones) from sending the reading to reading the event off the admin's /api/v1/alerts/stream; background load achieved {load.ItemsPerSecond:N0} readings/s in {BackgroundBatch}-reading POSTs ({load.Failures} failed)."),
            ],
        };
    }

    /// <summary>An open <c>/api/v1/alerts/stream</c>, read on a background task; callers wait for a greenhouse's next opened alert.</summary>
    private sealed class AlertStream : IDisposable
    {
        private readonly HttpClient _client;
        private readonly HttpResponseMessage _response;
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _waiting = new(StringComparer.Ordinal);
        private readonly Task _reader;

        private AlertStream(HttpClient client, HttpResponseMessage response, Stream body)
        {
            _client = client;
            _response = response;
            _reader = Task.Run(() => ReadAsync(body));
        }

        public static async Task<AlertStream> OpenAsync(Uri server)
        {
            var client = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AgriChainApi.AdminKey);
            var response = await client.GetAsync(new Uri("/api/v1/alerts/stream", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            return new AlertStream(client, response, await response.Content.ReadAsStreamAsync());
        }

        /// <summary>Completes with the timestamp at which the next alert.opened of <paramref name="greenhouseId"/> was read.</summary>
        public Task<long> Expect(string greenhouseId)
        {
            var waiter = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting[greenhouseId] = waiter;
            return waiter.Task;
        }

        public void Dispose()
        {
            _stop.Cancel();
            _response.Dispose();
            _client.Dispose();
            _ = _reader.ContinueWith(_ => _stop.Dispose(), TaskScheduler.Default);
        }

        private async Task ReadAsync(Stream body)
        {
            using var reader = new StreamReader(body);
            string? type = null;
            try
            {
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    if (line.StartsWith("event: ", StringComparison.Ordinal))
                    {
                        type = line["event: ".Length..];
                    }
                    else if (line.StartsWith("data: ", StringComparison.Ordinal) && type == "alert.opened")
                    {
                        var at = Stopwatch.GetTimestamp();
                        using var document = JsonDocument.Parse(line["data: ".Length..]);
                        var greenhouse = document.RootElement.GetProperty("data").GetProperty("greenhouseId").GetString();
                        if (greenhouse is not null && _waiting.TryRemove(greenhouse, out var waiter))
                        {
                            waiter.TrySetResult(at);
                        }
                    }
                    else if (line.Length == 0)
                    {
                        type = null;
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or HttpRequestException)
            {
                // Closed.
            }
        }
    }
}
