using System.Buffers;
using System.Globalization;
using System.Text.Json;
using AgriChain.Benchmarks.Baselines;
using AgriChain.Benchmarks.Infrastructure;
using AgriChain.Benchmarks.Reporting;

namespace AgriChain.Benchmarks.Scenarios;

/// <summary>
/// Scenario 1. Gateways POST 100-1,000 readings at a time for many greenhouses to the real server process; each POST
/// is answered only once its readings are durable and judged against the flowering thresholds (a dip below the floor
/// now and then opens and closes an alert). Measured against bulk-inserting the same rows into the same storage.
/// </summary>
internal static class GatewayIngest
{
    private const int Gateways = 16;

    public static async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        var profile = context.Profile;
        BenchContext.Log($"1. Gateway ingest: {Gateways} gateways, {profile.Rounds} rounds of {profile.Round.TotalSeconds:0} s each side");
        await using var database = await context.CreateBaselineDatabaseAsync("baseline_ingest");
        var ids = Enumerable.Range(0, profile.Greenhouses).Select(ReadingFeed.GreenhouseId).ToArray();
        var bulk = new BulkInsert(database, ids);
        await bulk.PreparePartitionsAsync(context.FeedStart, DateTimeOffset.UtcNow.AddDays(1));
        var agrichainPlan = new GatewayPlan(context.Feed, Gateways);
        var baselinePlan = new GatewayPlan(new ReadingFeed(profile.Greenhouses, context.FeedStart), Gateways);

        using var client = AgriChainApi.Client(context.Server.BaseAddress, Gateways);
        var buffers = Enumerable.Range(0, Gateways).Select(_ => new ArrayBufferWriter<byte>(64 * 1024)).ToArray();
        var writers = buffers.Select(b => new Utf8JsonWriter(b)).ToArray();
        async Task<int> Step(int gateway, CancellationToken cancellationToken)
        {
            var (greenhouse, count) = agrichainPlan.WriteNext(gateway, buffers[gateway], writers[gateway]);
            return await AgriChainApi.PostReadingsAsync(client, ids[greenhouse], buffers[gateway].WrittenMemory, count);
        }

        await LoadRunner.RunAsync(Gateways, profile.Warmup, Step);
        await bulk.RunAsync(baselinePlan.NextRows, profile.Warmup);

        var meter = ResourceMeter.Start(context.Processes());
        var rounds = new List<RoundResult>();
        var latencies = new List<double>();
        long readings = 0;
        long requests = 0;
        var failures = 0;
        for (var round = 1; round <= profile.Rounds; round++)
        {
            var agrichain = await LoadRunner.RunAsync(Gateways, profile.Round, Step);
            var (rows, elapsed) = await bulk.RunAsync(baselinePlan.NextRows, profile.Round);
            var baselineRate = rows / elapsed.TotalSeconds;
            rounds.Add(new RoundResult(round, agrichain.ItemsPerSecond, baselineRate, agrichain.ItemsPerSecond / baselineRate));
            latencies.AddRange(agrichain.LatenciesMs);
            readings += agrichain.Items;
            requests += agrichain.Requests;
            failures += agrichain.Failures;
            BenchContext.Log($"   round {round}: AgriChain {agrichain.ItemsPerSecond:N0}/s ({agrichain.Requests / agrichain.Elapsed.TotalSeconds:N0} POSTs/s), bulk insert {baselineRate:N0}/s");
        }

        var resources = meter.Stop();
        foreach (var writer in writers)
        {
            await writer.DisposeAsync();
        }

        var ratio = Stats.Median(rounds.Select(r => r.Ratio));
        return new ScenarioResult
        {
            Id = "1",
            Name = "Gateway ingest",
            Metric = "readings per second (durable, alerts evaluated)",
            Unit = "readings/s",
            Value = Stats.Median(rounds.Select(r => r.Value)),
            Baseline = Stats.Median(rounds.Select(r => r.Baseline)),
            Ratio = ratio,
            Target = "ratio ≥ 0.5 (stretch 0.7)",
            P50Ms = Stats.Percentile(latencies, 50),
            P99Ms = Stats.Percentile(latencies, 99),
            Met = ratio >= 0.5,
            BaselineDescription = context.Postgres is null
                ? $"the same rows inserted into a second SQLite file with AgriChain's readings table and indexes: one prepared INSERT stepped per row through SQLite's C API (no ADO.NET per row), {BulkInsert.ChunkRows:N0} rows per transaction, WAL with synchronous=NORMAL (as AgriChain's connections)"
                : $"the same rows bulk-loaded with Npgsql binary COPY into a second database on the same PostgreSQL server with AgriChain's partitioned readings table and indexes, {BulkInsert.ChunkRows:N0} rows per COPY",
            Rounds = rounds,
            Resources = resources,
            Notes =
            [
                string.Create(CultureInfo.InvariantCulture, $"{profile.Greenhouses:N0} greenhouses ({AgriChainApi.StagedGreenhouses} of them in flowering, where dips open and close below-floor alerts; the others without a stage, judged against open thresholds), {Gateways} gateways on keep-alive connections, {GatewayPlan.MinBatch}-{GatewayPlan.MaxBatch} readings a POST (JSON); {readings:N0} readings in {requests:N0} POSTs measured, each answered 200 with all its readings accepted; {failures} POSTs failed."),
                string.Create(CultureInfo.InvariantCulture, $"Setup: seeding through the API took {context.SeedingSeconds:0} s; a stage PUT took {context.StagePutMs:0} ms on average. (Each stage change reaches the season yield rollups: the greenhouse's farm and village rollups, and through the village its township's, county's and the all-villages rollup, which keep a line per village.)"),
                resources.CpuPerItem(readings, "reading"),
                "p50/p99 are per POST (a whole batch), from sending it to the answer.",
                "The load generator (JSON writing, HTTP client) runs on the same two cores as the server; the baseline has no HTTP or JSON cost at all.",
            ],
        };
    }
}
