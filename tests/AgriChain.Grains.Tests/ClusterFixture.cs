using AgriChain.Grains.Diagnostics;
using AgriChain.Grains.Notifications;
using AgriChain.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace AgriChain.Grains.Tests;

/// <summary>
/// A two-silo in-process cluster on real storage (a temporary SQLite file: grain state, reminders, readings and the
/// alert journal), with a fake clock, shared by the grain tests of one collection.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>The silos' clock: starts at a fixed instant so timestamps can be asserted exactly.</summary>
    public static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 3, 1, 6, 0, 0, TimeSpan.Zero));

    private static readonly string Directory = System.IO.Directory.CreateTempSubdirectory("agrichain-grains-").FullName;

    public TestCluster Cluster { get; } = new TestClusterBuilder(2)
        .AddSiloBuilderConfigurator<SiloConfigurator>()
        .Build();

    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>The services of the first silo (its reading store, alert journal...).</summary>
    public IServiceProvider Services => ((InProcessSiloHandle)Cluster.Primary!).SiloHost!.Services;

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    /// <summary>Deactivates every idle grain, so the next call reads state back from storage.</summary>
    public Task DeactivateAllAsync() =>
        Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    /// <summary>Webhook deliveries of the grain tests go nowhere: no test here registers a webhook.</summary>
    private static readonly HttpClient Webhooks = new() { Timeout = TimeSpan.FromSeconds(5) };

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.Services.Configure<StorageOptions>(o => o.ConnectionString = $"Data Source={Path.Combine(Directory, "agrichain.db")}");
            siloBuilder.UseAgriChainStorage();
            siloBuilder.Services.AddSingleton<TimeProvider>(Clock);
            siloBuilder.Services.AddSingleton<AgriChainInstruments>();
            siloBuilder.Services.AddAgriChainNotificationServices(_ => Webhooks);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
