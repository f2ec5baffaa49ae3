using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgriChain.Benchmarks.Baselines;
using AgriChain.Benchmarks.Infrastructure;
using AgriChain.Benchmarks.Reporting;

namespace AgriChain.Benchmarks.Scenarios;

/// <summary>
/// Scenario 4. A lot with 1,000 ancestors over 10 levels (100 greenhouse harvests, then nine levels of 100 merges,
/// each of two neighbouring batches of the level below, then the lot merging the last level) and a harvest batch with
/// 1,000 descendants (split into 10, each into 9, each of those into 10), all built through the API. Then, warm,
/// alternating with the same walks as recursive SQL over the same lineage: trace upstream of the lot, trace
/// downstream of the harvest, and its recall (repeated: a recall is idempotent and answers the same impact).
/// </summary>
internal static class TraceAndRecall
{
    private const int Width = 100;
    private const int Levels = 10;
    private const decimal HarvestKg = 1_024m;
    private const int OriginGreenhouses = 10;
    private const double TargetP99Ms = 50;

    public static async Task<IReadOnlyList<ScenarioResult>> RunAsync(BenchContext context)
    {
        var samples = context.Profile.TraceSamples;
        BenchContext.Log($"4. Trace and recall: building the lineage through the API");
        var admin = context.Admin;
        var batches = new List<(string Id, double Quantity)>();
        var edges = new List<(string Parent, string Child, double Quantity)>();
        var built = Stopwatch.StartNew();

        // Ancestors: level 1 are harvests from ten greenhouses of the first farm, which (seeded in flowering) first move
        // to the harvest stage, as a technician records it before harvesting: their flowering periods close, so each
        // greenhouse summarises a harvest's conditions once and keeps the summary, as for any finished crop cycle.
        var harvestStageSince = DateTimeOffset.UtcNow.AddMinutes(-35).ToString("O", CultureInfo.InvariantCulture);
        await AgriChainApi.ForEachAsync(Enumerable.Range(0, OriginGreenhouses), i => AgriChainApi.PutAsync(admin,
            $"/api/v1/greenhouses/{ReadingFeed.GreenhouseId(i)}/stage", new { stage = "harvest", since = harvestStageSince }, HttpStatusCode.OK));
        var harvestedAt = DateTimeOffset.UtcNow.AddMinutes(-30).ToString("O", CultureInfo.InvariantCulture);
        var level = Enumerable.Range(0, Width).Select(i => Id("anc-l01", i)).ToList();
        await AgriChainApi.ForEachAsync(Enumerable.Range(0, Width), i => CreateAsync(admin, level[i], HarvestKg,
            new { farmId = AgriChainApi.FarmId(0), greenhouseId = ReadingFeed.GreenhouseId(i % OriginGreenhouses), harvestedAt }));
        batches.AddRange(level.Select(id => (id, (double)HarvestKg)));
        for (var depth = 2; depth <= Levels; depth++)
        {
            var below = level;
            level = Enumerable.Range(0, Width).Select(i => Id(string.Create(CultureInfo.InvariantCulture, $"anc-l{depth:D2}"), i)).ToList();
            var current = level;
            await AgriChainApi.ForEachAsync(Enumerable.Range(0, Width), i => AgriChainApi.PostAsync(admin, "/api/v1/batches/merge", new
            {
                id = current[i],
                inputs = new[] { new { batchId = below[i], quantity = HarvestKg / 2 }, new { batchId = below[(i + 1) % Width], quantity = HarvestKg / 2 } },
            }), parallelism: 8);
            for (var i = 0; i < Width; i++)
            {
                batches.Add((current[i], (double)HarvestKg));
                edges.Add((below[i], current[i], (double)HarvestKg / 2));
                edges.Add((below[(i + 1) % Width], current[i], (double)HarvestKg / 2));
            }
        }

        const string lot = "anc-lot";
        await AgriChainApi.PostAsync(admin, "/api/v1/batches/merge", new { id = lot, inputs = level.Select(b => new { batchId = b, quantity = HarvestKg }).ToArray() });
        batches.Add((lot, (double)HarvestKg * Width));
        edges.AddRange(level.Select(b => (b, lot, (double)HarvestKg)));

        // Descendants: 10 + 90 + 900.
        const string harvest = "dsc-root";
        await CreateAsync(admin, harvest, 10_000m, new { farmId = AgriChainApi.FarmId(0), greenhouseId = ReadingFeed.GreenhouseId(0), harvestedAt });
        batches.Add((harvest, 10_000));
        var parents = new List<(string Id, decimal Quantity)> { (harvest, 10_000m) };
        foreach (var fanOut in new[] { 10, 9, 10 })
        {
            var next = new List<(string Id, decimal Quantity)>();
            foreach (var parent in parents)
            {
                var share = parent.Quantity / fanOut;
                next.AddRange(Enumerable.Range(0, fanOut).Select(i => (string.Create(CultureInfo.InvariantCulture, $"{parent.Id}-{i}"), share)));
            }

            await AgriChainApi.ForEachAsync(parents, parent => AgriChainApi.PostAsync(admin, $"/api/v1/batches/{parent.Id}/split", new
            {
                parts = Enumerable.Range(0, fanOut).Select(i => new { id = string.Create(CultureInfo.InvariantCulture, $"{parent.Id}-{i}"), quantity = parent.Quantity / fanOut }).ToArray(),
            }), parallelism: 8);
            foreach (var parent in parents)
            {
                for (var i = 0; i < fanOut; i++)
                {
                    var child = string.Create(CultureInfo.InvariantCulture, $"{parent.Id}-{i}");
                    batches.Add((child, (double)(parent.Quantity / fanOut)));
                    edges.Add((parent.Id, child, (double)(parent.Quantity / fanOut)));
                }
            }

            parents = next;
        }

        BenchContext.Log($"   built {batches.Count:N0} batches and {edges.Count:N0} edges in {built.Elapsed.TotalSeconds:0.0} s");
        await using var database = await context.CreateBaselineDatabaseAsync("baseline_lineage");
        var sql = new LineageSql(database);
        await sql.LoadAsync(batches, edges);

        using var client = AgriChainApi.Client(context.Server.BaseAddress, 2);
        var upstream = new Walk("4a", "Trace upstream", "GET trace?direction=upstream of a lot with 1,000 ancestors over 10 levels", 1_001,
            () => GetAsync(client, $"/api/v1/batches/{lot}/trace?direction=upstream&maxDepth=20", "nodes"), () => sql.UpstreamAsync(lot));
        var downstream = new Walk("4b", "Trace downstream", "GET trace?direction=downstream of a batch with 1,000 descendants", 1_001,
            () => GetAsync(client, $"/api/v1/batches/{harvest}/trace?direction=downstream&maxDepth=20", "nodes"), () => sql.DownstreamAsync(harvest));
        var recall = new Walk("4c", "Recall impact", "POST recall of a batch with 1,000 descendants (repeated, idempotent)", 1_001,
            () => PostRecallAsync(client, harvest), () => sql.RecallAsync(harvest));

        var results = new List<ScenarioResult>();
        foreach (var walk in new[] { upstream, downstream, recall })
        {
            results.Add(await MeasureAsync(context, walk, samples));
        }

        return results;
    }

    private static async Task<ScenarioResult> MeasureAsync(BenchContext context, Walk walk, int samples)
    {
        BenchContext.Log($"   {walk.Name}: {samples} warm samples each side");
        // Warm: the first calls activate the batch grains and run the recall's one-time marking; calls go on for the
        // profile's warm-up time (at least three), so the runtime has compiled the walk's code in its optimised tier
        // (it recompiles a method after 30 calls, in the background) before anything is timed.
        var warmUntil = Stopwatch.GetTimestamp() + (long)(context.Profile.Warmup.TotalSeconds * Stopwatch.Frequency);
        var warmCalls = 0;
        while (warmCalls < 3 || Stopwatch.GetTimestamp() < warmUntil)
        {
            Check(walk, await walk.AgriChain(), "AgriChain");
            Check(walk, await walk.Baseline(), "the SQL baseline");
            warmCalls++;
        }

        var meter = ResourceMeter.Start(context.Processes());
        var agrichain = new List<double>();
        var baseline = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            agrichain.Add((await walk.AgriChain()).Ms);
            baseline.Add((await walk.Baseline()).Ms);
        }

        var resources = meter.Stop();
        var rounds = Rounds(agrichain, baseline, context.Profile.Rounds);
        var p99 = Stats.Percentile(agrichain, 99);
        return new ScenarioResult
        {
            Id = walk.Id,
            Name = walk.Name,
            Metric = walk.Metric + ", p99 warm",
            Unit = "ms",
            Value = p99,
            Baseline = Stats.Percentile(baseline, 99),
            Ratio = Stats.Median(rounds.Select(r => r.Ratio)),
            RatioRule = "AgriChain p99 / SQL p99 per round, median of the rounds (lower is better)",
            Target = "p99 ≤ 50 ms warm",
            P50Ms = Stats.Percentile(agrichain, 50),
            P99Ms = p99,
            Met = p99 <= TargetP99Ms,
            BaselineDescription = context.Postgres is null
                ? "the same lineage as batch and edge tables (edges indexed both ways) in a SQLite file beside AgriChain's, walked with one recursive SQL query from this process (no HTTP)"
                : "the same lineage as batch and edge tables (edges indexed both ways) in a database on the same PostgreSQL server, walked with one recursive SQL query from this process (no HTTP)",
            BaselineP50Ms = Stats.Percentile(baseline, 50),
            BaselineP99Ms = Stats.Percentile(baseline, 99),
            Rounds = rounds,
            Resources = resources,
            Notes =
            [
                string.Create(CultureInfo.InvariantCulture, $"{samples} samples each side, alternating, after {warmCalls} warm-up calls ({context.Profile.Warmup.TotalSeconds:0} s); each answer checked to reach {walk.ExpectedBatches:N0} batches."),
                "AgriChain's figure is the whole HTTP request through the real server: authentication, access check, the level-by-level grain walk (64 calls in parallel), and for traces the condition summary of every greenhouse origin (kept by the greenhouse grain once its crop cycle has ended; journal and reading-store queries the first time).",
            ],
        };
    }

    private static List<RoundResult> Rounds(List<double> agrichain, List<double> baseline, int count)
    {
        var size = Math.Max(1, agrichain.Count / count);
        return Enumerable.Range(0, count).Select(r =>
        {
            var a = Stats.Percentile(agrichain.Skip(r * size).Take(size), 99);
            var b = Stats.Percentile(baseline.Skip(r * size).Take(size), 99);
            return new RoundResult(r + 1, a, b, a / b);
        }).ToList();
    }

    private static void Check(Walk walk, (double Ms, int Batches) answer, string who)
    {
        if (answer.Batches != walk.ExpectedBatches)
        {
            throw new InvalidOperationException($"{walk.Name}: {who} reached {answer.Batches} batches, expected {walk.ExpectedBatches}.");
        }
    }

    private static async Task CreateAsync(HttpClient admin, string id, decimal quantity, object origin)
    {
        using var response = await admin.PostAsJsonAsync(new Uri("/api/v1/batches", UriKind.Relative),
            new { id, product = "nectarine", quantity, unit = "kg", grade = "a", ownerId = AgriChainApi.Cooperative, origin });
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /api/v1/batches {id} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<(double Ms, int Batches)> GetAsync(HttpClient client, string path, string array)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsByteArrayAsync();
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
        }

        using var document = JsonDocument.Parse(body);
        return (elapsed, document.RootElement.GetProperty(array).GetArrayLength());
    }

    private static async Task<(double Ms, int Batches)> PostRecallAsync(HttpClient client, string id)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await client.PostAsJsonAsync(new Uri($"/api/v1/batches/{id}/recall", UriKind.Relative), new { reason = "benchmark recall" });
        var body = await response.Content.ReadAsByteArrayAsync();
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST recall of {id} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
        }

        using var document = JsonDocument.Parse(body);
        return (elapsed, document.RootElement.GetProperty("batches").GetArrayLength());
    }

    private static string Id(string prefix, int index) => string.Create(CultureInfo.InvariantCulture, $"{prefix}-{index:D3}");

    private sealed record Walk(string Id, string Name, string Metric, int ExpectedBatches,
        Func<Task<(double Ms, int Batches)>> AgriChain, Func<Task<(double Ms, int Batches)>> Baseline);
}
