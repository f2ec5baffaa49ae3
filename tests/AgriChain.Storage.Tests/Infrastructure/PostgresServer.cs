using System.Globalization;
using System.Text;
using AgriChain.Testing;

namespace AgriChain.Storage.Tests.Infrastructure;

/// <summary>
/// A private PostgreSQL server for one test run (<see cref="PrivatePostgres"/>), with durability traded for speed.
/// It never skips: without PostgreSQL installed it fails and says how to install it.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string InstallHint =
        "Install the server with `apt-get update && apt-get install -y postgresql` (as root), or run the repository's CI script (.ci/run), which installs it.";

    private PrivatePostgres? _server;
    private int _databaseCounter;

    /// <summary>The TCP port the server listens on.</summary>
    public int Port => Server.Port;

    private PrivatePostgres Server => _server ?? throw new InvalidOperationException("The PostgreSQL server has not started.");

    public async Task InitializeAsync() =>
        _server = await PrivatePostgres.StartAsync("agrichain-pg-", TestPorts.Free(),
            ["fsync=off", "synchronous_commit=off", "full_page_writes=off"], InstallHint);

    /// <summary>Creates an empty database owned by an ordinary (non-superuser) role and returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync(string hint)
    {
        var name = $"agrichain_{Interlocked.Increment(ref _databaseCounter).ToString(CultureInfo.InvariantCulture)}_{Sanitise(hint)}";
        return Server.CreateDatabaseAsync(name, timeoutSeconds: 15);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static string Sanitise(string hint)
    {
        var builder = new StringBuilder();
        foreach (var character in hint.ToLowerInvariant())
        {
            builder.Append(char.IsAsciiLetterOrDigit(character) ? character : '_');
        }

        return builder.Length > 30 ? builder.ToString(0, 30) : builder.ToString();
    }
}

/// <summary>Puts the PostgreSQL test classes in one collection so that they share one server.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
