using System.Diagnostics;
using System.Globalization;
using AgriChain.Cluster.Tests.Infrastructure;
using AgriChain.Contracts.Greenhouses;
using AgriChain.Contracts.Traceability;
using Npgsql;
using Xunit.Abstractions;

namespace AgriChain.Cluster.Tests;

/// <summary>
/// Three silo processes on PostgreSQL under steady writes; one is killed with SIGKILL, then a fourth joins. No
/// acknowledged write may be lost or applied twice, and nothing the clients send may fail: the surviving silos
/// retry grain calls that met the dead silo until its grains are active again elsewhere.
/// </summary>
[Collection(FailoverCollection.Name)]
public sealed class FailoverTests(ClusterEnvironment environment, ITestOutputHelper output)
{
    private const int GreenhouseCount = 24;
    private const int RootCount = 4;
    private const int JoinerGreenhouseCount = 40;
    private const decimal RootQuantity = 1_000_000m;

    /// <summary>With the tests' membership timeouts a dead silo is declared dead in about 2 s; allow for a busy machine.</summary>
    private static readonly TimeSpan ReactivationDeadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task SiloKilledUnderLoad_LosesNoAcknowledgedWrite_GrainsMoveToSurvivors_AndAFourthSiloJoinsUnderLoad()
    {
        var clock = Stopwatch.StartNew();
        await using var cluster = await SiloCluster.StartAsync(environment.Postgres, "failover", silos: 3);
        Log($"three silos active after {clock.Elapsed.TotalSeconds:F1} s");
        var http = cluster.Silos.ToDictionary(s => s, SiloCluster.Http);

        // Master data and root batches, spread over the silos' HTTP endpoints.
        var entry = http[cluster.Silos[0]];
        var cooperative = await Api.CooperativeAsync(entry);
        var farm = await Api.FarmAsync(entry, cooperative);
        var greenhouses = Enumerable.Range(0, GreenhouseCount).Select(_ => Api.NewId("gh")).ToList();
        var roots = Enumerable.Range(0, RootCount).Select(_ => Api.NewId("root")).ToList();
        await Task.WhenAll(greenhouses.Select((id, i) => Api.PutGreenhouseAsync(http[cluster.Silos[i % 3]], id, farm)));
        await Task.WhenAll(roots.Select((id, i) => Api.CreateBatchAsync(http[cluster.Silos[i % 3]], id, cooperative, RootQuantity)));

        // The victim is the silo that hosts most of these grains, so that the kill takes many of them down.
        var grains = greenhouses.Select(id => (Id: id, Grain: (IAddressable)cluster.Client.GetGrain<IGreenhouseGrain>(id)))
            .Concat(roots.Select(id => (Id: id, Grain: (IAddressable)cluster.Client.GetGrain<IBatchGrain>(id))))
            .ToList();
        var placement = await Task.WhenAll(grains.Select(async g => (g.Id, g.Grain, Host: await cluster.HostOfAsync(g.Grain))));
        Assert.All(placement, p => Assert.NotNull(p.Host));
        var victim = placement.GroupBy(p => p.Host!).OrderByDescending(g => g.Count()).First().Key;
        var onVictim = placement.Where(p => p.Host == victim).ToList();
        var survivors = cluster.Silos.Where(s => s != victim).ToList();
        Log($"placement: {string.Join(", ", placement.GroupBy(p => p.Host!.Name).Select(g => $"{g.Key}={g.Count()}"))}; victim {victim.Name}");

        var load = new LoadGenerator(greenhouses, roots, FirstMinute())
        {
            Targets = [.. survivors.Select(s => (s, http[s]))],
        };
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(readingWorkers: 4, splitWorkers: 2, stop.Token);
        try
        {
            await Poll.UntilAsync(() => Task.FromResult((load.AcknowledgedReadingRequests, load.AcknowledgedSplits)),
                n => n.AcknowledgedReadingRequests >= 40 && n.AcknowledgedSplits >= 10, TimeSpan.FromSeconds(60),
                "the load to be flowing", diagnostics: () => string.Join("\n", load.Failures.Take(20)));

            // SIGKILL: the victim's grains, its directory partition and its in-flight calls vanish at once.
            var beforeKill = (load.AcknowledgedReadingRequests, load.AcknowledgedSplits);
            var killed = Stopwatch.StartNew();
            await victim.KillAsync();
            Log($"killed {victim.Name} with {onVictim.Count} of the test's grains, after {beforeKill.AcknowledgedReadingRequests} reading requests and {beforeKill.AcknowledgedSplits} splits");

            await cluster.WaitForActiveSilosAsync(survivors, ReactivationDeadline);
            var declaredDead = killed.Elapsed;

            // Every grain that lived on the victim is active on a survivor again, serving the load.
            await Poll.UntilAsync(
                async () => await Task.WhenAll(onVictim.Select(g => cluster.HostOfAsync(g.Grain))),
                hosts => hosts.All(h => h is not null && survivors.Contains(h)),
                ReactivationDeadline,
                $"the {onVictim.Count} grains of {victim.Name} to be active on the survivors",
                hosts => hosts is null ? "" : string.Join(", ", hosts.Select(h => h?.Name ?? "inactive")),
                cluster.Diagnostics);
            var reactivated = killed.Elapsed;
            Log($"{victim.Name} declared dead after {declaredDead.TotalSeconds:F1} s; its grains active on survivors after {reactivated.TotalSeconds:F1} s");

            await Poll.UntilAsync(() => Task.FromResult(load.AcknowledgedSplits), n => n >= beforeKill.AcknowledgedSplits + 10,
                TimeSpan.FromSeconds(30), "splits to go on after the kill", diagnostics: () => string.Join("\n", load.Failures.Take(20)));

            // A fourth silo joins while the writes go on, and takes requests and new grains.
            var joining = Stopwatch.StartNew();
            var fourth = cluster.Launch();
            await fourth.WaitUntilReadyAsync(SiloCluster.StartDeadline);
            await cluster.WaitForActiveSilosAsync([.. survivors, fourth], TimeSpan.FromSeconds(30));
            http[fourth] = SiloCluster.Http(fourth);
            load.Targets = [.. survivors.Append(fourth).Select(s => (s, http[s]))];
            Log($"{fourth.Name} active after {joining.Elapsed.TotalSeconds:F1} s");

            var joinerGreenhouses = Enumerable.Range(0, JoinerGreenhouseCount).Select(_ => Api.NewId("gh")).ToList();
            var joinerMinute = FirstMinute();
            await Task.WhenAll(joinerGreenhouses.Select(async id =>
            {
                await Api.PutGreenhouseAsync(http[fourth], id, farm);
                using var response = await Api.PostReadingsAsync(http[fourth], id, Api.Readings(joinerMinute, 5, "joiner"));
                Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
                load.RecordReadings(id, Enumerable.Range(0, 5).Select(m => (joinerMinute.AddMinutes(m), "joiner")));
            }));
            var joinerHosts = await Task.WhenAll(joinerGreenhouses.Select(id => cluster.HostOfAsync(cluster.Client.GetGrain<IGreenhouseGrain>(id))));
            Assert.Contains(fourth, joinerHosts);
            Log($"{joinerHosts.Count(h => h == fourth)} of {JoinerGreenhouseCount} new greenhouses were placed on {fourth.Name}");

            await Poll.UntilAsync(() => Task.FromResult(load.SuccessesThrough(fourth)), n => n >= 20, TimeSpan.FromSeconds(30),
                $"the load to be served through {fourth.Name}", diagnostics: () => string.Join("\n", load.Failures.Take(20)));
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }

        Log($"load: {load.AcknowledgedReadingRequests} reading requests, {load.AcknowledgedSplits} splits, {load.Failures.Count} failures");
        Assert.True(load.Failures.Count == 0,
            $"Every request should have been served through the failover, but {load.Failures.Count} failed:\n{string.Join("\n", load.Failures.Take(30))}\n{cluster.Diagnostics()}");

        var reader = http[cluster.Silos[0] == victim ? cluster.Silos[1] : cluster.Silos[0]];
        await AssertEveryAcknowledgedReadingIsStoredOnceAsync(load, greenhouses, reader, cluster);
        await AssertBatchQuantitiesBalanceAsync(load, roots, reader);
        Log($"verified after {clock.Elapsed.TotalSeconds:F1} s in all");
    }

    private static async Task AssertEveryAcknowledgedReadingIsStoredOnceAsync(
        LoadGenerator load, IReadOnlyList<string> greenhouses, HttpClient reader, SiloCluster cluster)
    {
        var from = FirstMinute().AddDays(-1);
        var to = DateTimeOffset.UtcNow.AddMinutes(1);
        foreach (var greenhouse in greenhouses)
        {
            var acknowledged = load.ReadingsOf(greenhouse);
            var stored = await Api.RawReadingsAsync(reader, greenhouse, from, to);
            Assert.Equal(stored.Count, stored.Distinct().Count());
            var missing = acknowledged.Except(stored).ToList();
            Assert.True(missing.Count == 0, $"{greenhouse}: {missing.Count} acknowledged readings are missing, e.g. {string.Join(", ", missing.Take(3))}");

            // Every request was acknowledged, so nothing beyond them may be stored either.
            Assert.Equal(acknowledged.Count, stored.Count);
        }

        // The readings store is the cluster's PostgreSQL: one row per acknowledged reading, across every greenhouse.
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM agrichain_readings", connection);
        Assert.Equal(load.AcknowledgedReadings, Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
    }

    private static async Task AssertBatchQuantitiesBalanceAsync(LoadGenerator load, IReadOnlyList<string> roots, HttpClient reader)
    {
        var parts = load.Parts;
        foreach (var root in roots)
        {
            var mine = parts.Where(p => p.Root == root).ToList();
            var batch = await Api.GetJsonAsync(reader, $"/api/v1/batches/{root}");
            var children = batch.GetProperty("children").EnumerateArray()
                .Select(c => (Id: c.GetProperty("batchId").GetString()!, Quantity: c.GetProperty("quantity").GetDecimal()))
                .ToList();

            Assert.Equal(mine.Select(p => (p.Part, p.Quantity)).Order(), children.Order());
            Assert.Equal(RootQuantity - mine.Sum(p => p.Quantity), batch.GetProperty("quantity").GetDecimal());
            Assert.Equal(batch.GetProperty("quantity").GetDecimal(), batch.GetProperty("available").GetDecimal());
            Assert.Equal(RootQuantity, batch.GetProperty("quantity").GetDecimal() + children.Sum(c => c.Quantity));
        }

        // Each part exists once, with its quantity and the root as its only parent.
        using var gate = new SemaphoreSlim(8);
        await Task.WhenAll(parts.Select(async p =>
        {
            await gate.WaitAsync();
            try
            {
                var part = await Api.GetJsonAsync(reader, $"/api/v1/batches/{p.Part}");
                Assert.Equal(p.Quantity, part.GetProperty("quantity").GetDecimal());
                var parent = Assert.Single(part.GetProperty("parents").EnumerateArray());
                Assert.Equal(p.Root, parent.GetProperty("batchId").GetString());
                Assert.Equal(p.Quantity, parent.GetProperty("quantity").GetDecimal());
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    /// <summary>Readings start ten days back on a whole minute, so that none is in the future and every minute is distinct.</summary>
    private static DateTimeOffset FirstMinute()
    {
        var now = DateTimeOffset.UtcNow.AddDays(-10);
        return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
    }

    private void Log(string message) => output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss.fff}] {message}");
}
