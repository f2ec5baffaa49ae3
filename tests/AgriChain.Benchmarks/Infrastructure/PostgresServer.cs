using AgriChain.Testing;

namespace AgriChain.Benchmarks.Infrastructure;

/// <summary>
/// A private PostgreSQL server for one benchmark run (<see cref="PrivatePostgres"/>, as the storage tests start
/// theirs). Unlike the tests' server it runs with fsync and synchronous commits on, so that "durable" means what it
/// means in production.
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    public const string InstallHint =
        "PostgreSQL server binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin. "
        + "Install them with `apt-get update && apt-get install -y postgresql` (as root), then run again.";

    private readonly PrivatePostgres _server;

    private PostgresServer(PrivatePostgres server) => _server = server;

    public static bool IsInstalled => PrivatePostgres.FindBinaries() is not null;

    public int Port => _server.Port;

    /// <summary>The postmaster's process id, for CPU and memory readings (its backends are separate processes).</summary>
    public int? PostmasterId => _server.PostmasterId;

    public static async Task<PostgresServer> StartAsync() =>
        new(await PrivatePostgres.StartAsync("agrichain-bench-pg-", Repository.FreePort(),
            ["max_connections=200", "shared_buffers=256MB"], InstallHint));

    /// <summary>Creates an empty database owned by an ordinary role and returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync(string name) => _server.CreateDatabaseAsync(name, timeoutSeconds: 30, maxPoolSize: 100);

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
