using AgriChain.Storage.Tests.Infrastructure;

// Silo processes need the machine to themselves: a cluster test running beside another would measure the other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace AgriChain.Cluster.Tests.Infrastructure;

/// <summary>
/// What the tests of one collection share: a private PostgreSQL server, and a three-silo cluster on it for the
/// tests that only read and write (started on first use). Each collection has its own, stopped when the collection
/// ends; a test that kills silos builds its own cluster in a collection of its own.
/// </summary>
public sealed class ClusterEnvironment : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SiloCluster? _shared;

    public PostgresServer Postgres { get; } = new();

    public Task InitializeAsync() => Postgres.InitializeAsync();

    /// <summary>The shared three-silo cluster, started the first time it is asked for.</summary>
    public async Task<SiloCluster> SharedClusterAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return _shared ??= await SiloCluster.StartAsync(Postgres, "shared", silos: 3);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task DisposeAsync()
    {
        if (_shared is not null)
        {
            await _shared.DisposeAsync();
        }

        await Postgres.DisposeAsync();
        _gate.Dispose();
    }
}

/// <summary>The tests on the shared three-silo cluster and the membership queries, on one PostgreSQL server.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterEnvironment>
{
    public const string Name = "Cluster";
}

/// <summary>The failover test, on a PostgreSQL server of its own and with no other cluster running.</summary>
[CollectionDefinition(Name)]
public sealed class FailoverCollection : ICollectionFixture<ClusterEnvironment>
{
    public const string Name = "Failover";
}
