using System.Diagnostics;
using AgriChain.Benchmarks;
using AgriChain.Benchmarks.Baselines;
using AgriChain.Benchmarks.Infrastructure;
using AgriChain.Benchmarks.Micro;
using AgriChain.Benchmarks.Reporting;
using AgriChain.Benchmarks.Scenarios;

if (args.Length > 0 && args[0] == EchoServer.Argument)
{
    return await EchoServer.RunAsync(args[1..]);
}

var options = BenchmarkOptions.Parse(args, Console.Error);
if (options is null)
{
    return 2;
}

if (options.IsPostgreSql && !PostgresServer.IsInstalled)
{
    Console.Error.WriteLine(PostgresServer.InstallHint);
    return 1;
}

var profile = Profile.For(options.Quick);
var startedAt = DateTimeOffset.UtcNow;
var clock = Stopwatch.StartNew();
var results = new List<ScenarioResult>();
var micro = new List<MicroResult>();
BenchContext.Log($"AgriChain benchmarks: {options.Mode} mode on {options.Storage}");

await using (var context = new BenchContext
{
    Options = options,
    Profile = profile,
    Folder = Directory.CreateTempSubdirectory("agrichain-bench-").FullName,
    Postgres = options.IsPostgreSql ? await PostgresServer.StartAsync() : null,
})
{
    if (options.RunsAnyServerScenario)
    {
        await context.StartServerAsync();
        if (options.Runs("1"))
        {
            results.AddRange(await SafelyAsync("1", "Gateway ingest", async () => [await GatewayIngest.RunAsync(context)]));
        }

        if (options.Runs("2"))
        {
            results.AddRange(await SafelyAsync("2", "Sensor ingest", async () => [await SensorIngest.RunAsync(context)]));
        }

        if (options.Runs("3"))
        {
            results.AddRange(await SafelyAsync("3", "Alert latency", async () => [await AlertLatency.RunAsync(context)]));
        }

        if (options.Runs("4"))
        {
            results.AddRange(await SafelyAsync("4", "Trace and recall", () => TraceAndRecall.RunAsync(context)));
        }

        if (options.Runs("5"))
        {
            results.AddRange(await SafelyAsync("5", "EPCIS capture", async () => [await PendingFeatures.EpcisCaptureAsync(context)]));
        }

        if (options.Runs("6"))
        {
            results.AddRange(await SafelyAsync("6", "Market", () => PendingFeatures.MarketAsync(context)));
        }

        await context.StopServerAsync();
    }

    if (options.Runs("7"))
    {
        results.AddRange(await SafelyAsync("7", "Scale of state", () => ScaleOfState.RunAsync(context)));
    }
}

if (!options.Quick && options.Runs("micro"))
{
    micro.AddRange(DomainBenchmarks.Run());
}

var output = options.Out ?? Path.Combine(Repository.BenchmarksFolder, "results", options.IsPostgreSql ? "latest-postgresql.json" : "latest.json");
await ResultWriter.WriteAsync(new RunReport(MachineInfo.Describe(), Repository.Commit(), options.Mode, options.Storage, startedAt, clock.Elapsed, results, micro), output);
foreach (var result in results)
{
    Console.WriteLine($"{result.Id,-3} {result.Name,-40} {(result.Value is null ? "not measured" : result.Met ? "met" : "NOT met")}");
}

return results.Any(r => r.Notes.Any(n => n.StartsWith("failed:", StringComparison.Ordinal))) ? 1 : 0;

// A scenario that throws is reported as failed, with a null value and the error, and the run goes on.
static async Task<IReadOnlyList<ScenarioResult>> SafelyAsync(string id, string name, Func<Task<IReadOnlyList<ScenarioResult>>> run)
{
    try
    {
        return await run();
    }
    catch (Exception exception) when (exception is InvalidOperationException or HttpRequestException or IOException
        or TimeoutException or ArgumentException or System.Data.Common.DbException or OperationCanceledException)
    {
        BenchContext.Log($"   scenario {id} failed: {exception}");
        return
        [
            new ScenarioResult
            {
                Id = id,
                Name = name,
                Metric = "-",
                Unit = "-",
                Target = "-",
                BaselineDescription = "-",
                Notes = [$"failed: {exception.GetType().Name}: {exception.Message}"],
            },
        ];
    }
}
