using AgriChain.Contracts.Yields;
using AgriChain.Domain.MasterData;
using AgriChain.Grains.Greenhouses;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using Orleans.TestingHost;

namespace AgriChain.Grains.Tests.Greenhouses;

/// <summary>
/// A rollup's state must stay as it is while a write of it is under way: Orleans' ADO.NET provider serialises the state
/// only once it has a connection, which on a busy SQLite writer is after the grain's turn has ended, while village sums
/// (the call interleaves) keep arriving. The full benchmark (100,000 greenhouses) failed writes with "Collection was
/// modified" before. Here a storage that holds each write open until the test lets it go makes that moment exact.
/// </summary>
public sealed class YieldRollupWriteTests : IAsyncLifetime
{
    private const int Season = 2032;

    private readonly TestCluster _cluster = new TestClusterBuilder(1).AddSiloBuilderConfigurator<SiloConfigurator>().Build();

    public Task InitializeAsync() => _cluster.DeployAsync();

    public async Task DisposeAsync()
    {
        HeldWrites.Instance.Release();
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task SumsArrivingWhileAWriteIsUnderWay_LeaveTheStateBeingWrittenAlone_AndAreWrittenNext()
    {
        var county = $"county-{Guid.NewGuid():N}";
        var rollup = _cluster.GrainFactory.GetGrain<IYieldRollupGrain>(YieldRollupKeys.County(Season, county));
        RegionYield Sum(string village, decimal harvestedKg) => new(new Region(village, "t", county), 1m, harvestedKg, 0m, 1, Version: 1);
        var writes = HeldWrites.Instance;

        var first = rollup.ApplyRegionAsync(Sum("east", 10m));
        var beingWritten = await writes.Entered.Task.WaitAsync(TimeSpan.FromSeconds(15));
        var linesWhenTheWriteBegan = beingWritten.Regions.Count;

        // Two calls with the same sum: whichever the grain takes first changes the rollup, the other returns at once,
        // so when either has returned the change has been made.
        var second = rollup.ApplyRegionAsync(Sum("west", 20m));
        var repeat = rollup.ApplyRegionAsync(Sum("west", 20m));
        await Task.WhenAny(second, repeat).WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(1, linesWhenTheWriteBegan);
        Assert.Equal(linesWhenTheWriteBegan, beingWritten.Regions.Count);

        writes.Release();
        await Task.WhenAll(first, second, repeat).WaitAsync(TimeSpan.FromSeconds(15));
        var totals = await rollup.GetTotalsAsync(null, null, null);
        Assert.Equal((2, 30m), (totals.Greenhouses, totals.HarvestedKg));
        Assert.Equal(2, writes.LastWritten!.Regions.Count);
    }

    /// <summary>Default grain storage that keeps nothing and holds the first rollup write until released.</summary>
    private sealed class HeldWrites : IGrainStorage
    {
        public static readonly HeldWrites Instance = new();

        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _version;

        public TaskCompletionSource<YieldRollupState> Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public YieldRollupState? LastWritten { get; private set; }

        public void Release() => _released.TrySetResult();

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;

        public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (grainState.State is YieldRollupState rollup)
            {
                Entered.TrySetResult(rollup);
                await _released.Task;
                LastWritten = new YieldRollupState { Regions = new(rollup.Regions) };
            }

            grainState.ETag = Interlocked.Increment(ref _version).ToString(System.Globalization.CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.Services.AddGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (_, _) => HeldWrites.Instance);
    }
}
