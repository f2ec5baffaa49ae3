using AgriChain.Contracts.Traceability;
using AgriChain.Domain.Traceability;
using AgriChain.Grains.Diagnostics;
using AgriChain.Grains.Notifications;
using AgriChain.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace AgriChain.Grains.Tests.Traceability;

/// <summary>
/// A silo dies while merges are under way: once clients retry (as the HTTP layer does with the same operation ids),
/// every merge ends completed or rejected and every kilo is accounted for exactly once.
/// </summary>
public sealed class SiloFailureTests : IAsyncLifetime
{
    private static readonly string Directory = System.IO.Directory.CreateTempSubdirectory("agrichain-failover-").FullName;
    private readonly TestCluster _cluster = new TestClusterBuilder(2).AddSiloBuilderConfigurator<Silo>().Build();

    public Task InitializeAsync() => _cluster.DeployAsync();

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    [Fact]
    public async Task KillingASiloDuringMerges_LeavesQuantitiesBalanced()
    {
        var grains = _cluster.GrainFactory;
        var inputs = Enumerable.Range(0, 12).Select(i => $"in-{i}-{Guid.NewGuid():N}"[..20]).ToList();
        foreach (var id in inputs)
        {
            await grains.GetGrain<IBatchGrain>(id).CreateAsync(new BatchSpec("persimmon", 100, "kg", "a", "coop", null), "test");
        }

        // Twelve merges, each taking 40 kg from three inputs: every input is asked for 120 kg, so some must be refused.
        var merges = Enumerable.Range(0, 12).Select(i => (
            Operation: $"op-{i}-{Guid.NewGuid():N}"[..20],
            Plan: new OperationPlan(EdgeKind.Merge,
                [.. Enumerable.Range(0, 3).Select(k => new OperationInput(inputs[(i + k) % inputs.Count], 40))],
                [new OperationOutput($"out-{i}-{Guid.NewGuid():N}"[..20], new BatchSpec("persimmon", 120, "kg", "a", "coop", null))],
                "test"))).ToList();

        var running = merges.Select(m => grains.GetGrain<IBatchOperationGrain>(m.Operation).RunAsync(m.Plan)).ToList();
        await _cluster.KillSiloAsync(_cluster.SecondarySilos[0]);
        await Task.WhenAll(running.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));

        var results = new List<OperationResult>();
        foreach (var merge in merges)
        {
            results.Add(await RetryAsync(() => grains.GetGrain<IBatchOperationGrain>(merge.Operation).RunAsync(merge.Plan)));
        }

        Assert.All(results, r => Assert.Contains(r.Status, new[] { OperationStatus.Completed, OperationStatus.Rejected }));
        Assert.Contains(results, r => r.Status == OperationStatus.Completed);

        var consumed = 0m;
        foreach (var id in inputs)
        {
            var batch = await RetryAsync(() => grains.GetGrain<IBatchGrain>(id).GetAsync());
            Assert.Equal(batch!.Quantity, batch.Available);
            Assert.Equal(100, batch.Quantity + batch.Children.Sum(c => c.Quantity));
            consumed += batch.Children.Sum(c => c.Quantity);
        }

        var produced = 0m;
        foreach (var (merge, result) in merges.Zip(results))
        {
            var output = await RetryAsync(() => grains.GetGrain<IBatchGrain>(merge.Plan.Outputs[0].BatchId).GetAsync());
            Assert.Equal(result.Status == OperationStatus.Completed, output is not null);
            produced += output?.Quantity ?? 0;
        }

        Assert.Equal(consumed, produced);
    }

    /// <summary>Calls into a dead silo fail until the cluster notices; retry those within a deadline, as clients do.</summary>
    private static async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (DateTime.UtcNow < deadline && e is not Xunit.Sdk.XunitException)
            {
                await Task.Delay(50);
            }
        }
    }

    private sealed class Silo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.Services.Configure<StorageOptions>(o => o.ConnectionString = $"Data Source={Path.Combine(Directory, "agrichain.db")}");
            siloBuilder.UseAgriChainStorage();
            siloBuilder.Services.AddSingleton(TimeProvider.System);
            siloBuilder.Services.AddSingleton<AgriChainInstruments>();
            siloBuilder.Services.AddAgriChainNotificationServices(_ => new HttpClient());
            siloBuilder.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
            });
        }
    }
}
