using System.Buffers;
using System.Globalization;
using System.Text.Json;
using AgriChain.Benchmarks.Infrastructure;
using AgriChain.Benchmarks.Reporting;

namespace AgriChain.Benchmarks.Scenarios;

/// <summary>
/// Scenario 2. Sensors that send one reading per request, 32 connections at once, each answered once durable.
/// Measured against the same endpoint with storage switched off (<see cref="Baselines.EchoServer"/>).
/// </summary>
internal static class SensorIngest
{
    private const int Connections = 32;
    private const double TargetRate = 20_000;
    private const double TargetP99Ms = 20;

    public static async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        var profile = context.Profile;
        BenchContext.Log($"2. Sensor ingest: {Connections} connections, one reading a request, {profile.Rounds} rounds of {profile.Round.TotalSeconds:0} s each side");
        var echoFolder = Directory.CreateDirectory(Path.Combine(context.Folder, "echo")).FullName;
        await using var echo = ServerProcess.StartEcho(echoFolder, AgriChainApi.AdminKey);
        await echo.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

        var ids = Enumerable.Range(0, profile.Greenhouses).Select(ReadingFeed.GreenhouseId).ToArray();
        using var agrichainClient = AgriChainApi.Client(context.Server.BaseAddress, Connections);
        using var echoClient = AgriChainApi.Client(echo.BaseAddress, Connections);
        var agrichainStep = Stepper(agrichainClient, context.Feed, ids);
        var echoStep = Stepper(echoClient, new ReadingFeed(profile.Greenhouses, context.FeedStart), ids);

        await LoadRunner.RunAsync(Connections, profile.Warmup, agrichainStep);
        await LoadRunner.RunAsync(Connections, profile.Warmup, echoStep);

        var meter = ResourceMeter.Start(context.Processes(("echo", () => [echo.ProcessId])));
        var rounds = new List<RoundResult>();
        var latencies = new List<double>();
        var echoLatencies = new List<double>();
        var failures = 0;
        long readings = 0;
        long echoRequests = 0;
        for (var round = 1; round <= profile.Rounds; round++)
        {
            // Alternate which side goes first, so that neither always runs on a machine the other just warmed.
            LoadResult agrichain;
            LoadResult baseline;
            if (round % 2 == 1)
            {
                agrichain = await LoadRunner.RunAsync(Connections, profile.Round, agrichainStep);
                baseline = await LoadRunner.RunAsync(Connections, profile.Round, echoStep);
            }
            else
            {
                baseline = await LoadRunner.RunAsync(Connections, profile.Round, echoStep);
                agrichain = await LoadRunner.RunAsync(Connections, profile.Round, agrichainStep);
            }

            rounds.Add(new RoundResult(round, agrichain.ItemsPerSecond, baseline.ItemsPerSecond, agrichain.ItemsPerSecond / baseline.ItemsPerSecond));
            latencies.AddRange(agrichain.LatenciesMs);
            failures += agrichain.Failures + baseline.Failures;
            readings += agrichain.Items;
            echoRequests += baseline.Requests;
            echoLatencies.AddRange(baseline.LatenciesMs);
            BenchContext.Log($"   round {round}: AgriChain {agrichain.ItemsPerSecond:N0}/s (p99 {Stats.Percentile(agrichain.LatenciesMs, 99):0.0} ms), storage off {baseline.ItemsPerSecond:N0}/s (p99 {Stats.Percentile(baseline.LatenciesMs, 99):0.0} ms)");
        }

        var resources = meter.Stop();
        var value = Stats.Median(rounds.Select(r => r.Value));
        var p99 = Stats.Percentile(latencies, 99);
        return new ScenarioResult
        {
            Id = "2",
            Name = "Sensor ingest",
            Metric = "readings per second, one reading a request, 32 connections",
            Unit = "readings/s",
            Value = value,
            Baseline = Stats.Median(rounds.Select(r => r.Baseline)),
            Ratio = Stats.Median(rounds.Select(r => r.Ratio)),
            Target = "≥ 20,000 readings/s with p99 ≤ 20 ms",
            P50Ms = Stats.Percentile(latencies, 50),
            P99Ms = p99,
            Met = value >= TargetRate && p99 <= TargetP99Ms,
            BaselineDescription = "the same endpoint with storage switched off: AgriChain.Server has no switch for that, so the benchmark serves the route itself in a separate process (same bearer-key check, JSON binding, ReadingRules.Validate, a lookup call and a record call to an in-memory greenhouse grain in a co-hosted Orleans silo that judges each reading with ConditionEvaluator) and writes nothing",
            BaselineP50Ms = Stats.Percentile(echoLatencies, 50),
            BaselineP99Ms = Stats.Percentile(echoLatencies, 99),
            Rounds = rounds,
            Resources = resources,
            Notes =
            [
                string.Create(CultureInfo.InvariantCulture, $"{profile.Greenhouses:N0} greenhouses; each connection feeds its own share of them in turn, so a greenhouse's readings arrive in time order; {failures} requests failed (either side)."),
                resources.CpuPerItem(readings, "reading"),
                resources.FirstOrDefault(r => r.Process == "echo") is { } echoUse && echoRequests > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"The storage-off endpoint's process used {echoUse.CpuSeconds * 1_000_000 / echoRequests:0.#} µs of CPU per request ({echoUse.CpuSeconds:0.#} s for {echoRequests:N0} requests).")
                    : "No CPU reading for the storage-off endpoint.",
                "The ratio says what durability and the product's request path cost (the reading store's group commit, API-key and scope checks, the crop profile, alert bookkeeping) against a bare route with the same JSON, validation and grain calls that writes nothing.",
            ],
        };
    }

    private static LoadRunner.Step Stepper(HttpClient client, ReadingFeed feed, string[] ids)
    {
        var cursors = Enumerable.Range(0, Connections).ToArray();
        var buffers = Enumerable.Range(0, Connections).Select(_ => new ArrayBufferWriter<byte>(512)).ToArray();
        var writers = buffers.Select(b => new Utf8JsonWriter(b)).ToArray();
        return async (worker, _) =>
        {
            var greenhouse = cursors[worker];
            cursors[worker] = greenhouse + Connections < feed.Greenhouses ? greenhouse + Connections : worker;
            buffers[worker].ResetWrittenCount();
            writers[worker].Reset(buffers[worker]);
            feed.WriteRequest(writers[worker], greenhouse, 1);
            return await AgriChainApi.PostReadingsAsync(client, ids[greenhouse], buffers[worker].WrittenMemory, 1);
        };
    }
}
