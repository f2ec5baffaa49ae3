using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;

namespace AgriChain.Storage.Tests.Infrastructure;

/// <summary>
/// A private PostgreSQL server for one test run: initdb into a temporary folder, listening on 127.0.0.1 and a free
/// port, stopped and deleted at the end. It never skips: without PostgreSQL installed it fails and says how to install it.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string BinariesRoot = "/usr/lib/postgresql";
    private const string AppRole = "agrichain";
    private const string InstallHint =
        "Install the server with `apt-get update && apt-get install -y postgresql` (as root), or run the repository's CI script (.ci/run), which installs it.";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private static readonly bool RunningAsRoot = string.Equals(Environment.UserName, "root", StringComparison.Ordinal);

    private string? _root;
    private string? _binaries;
    private int _databaseCounter;

    /// <summary>The TCP port the server listens on.</summary>
    public int Port { get; private set; }

    private string DataFolder => Path.Combine(_root!, "data");

    private string LogFile => Path.Combine(_root!, "server.log");

    private string AdminConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = "postgres",
        Pooling = false,
    }.ConnectionString;

    public async Task InitializeAsync()
    {
        _binaries = FindBinaries()
            ?? throw new InvalidOperationException($"No PostgreSQL server binaries (initdb, pg_ctl) were found under {BinariesRoot}/*/bin. {InstallHint}");

        _root = Directory.CreateTempSubdirectory("agrichain-pg-").FullName;
        if (RunningAsRoot)
        {
            // initdb refuses to run as root, so the server runs as the postgres account, which must own its folder.
            await RunAsync("chown", ["postgres:postgres", _root], asPostgres: false);
        }

        await RunPostgresToolAsync("initdb", ["-D", DataFolder, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);

        Port = TestPorts.Free();
        var serverOptions = string.Join(' ',
            $"-p {Port.ToString(CultureInfo.InvariantCulture)}",
            $"-k {_root}",
            "-c listen_addresses=127.0.0.1",
            "-c fsync=off",
            "-c synchronous_commit=off",
            "-c full_page_writes=off");
        await RunPostgresToolAsync("pg_ctl", ["-D", DataFolder, "-l", LogFile, "-w", "-t", "60", "-o", serverOptions, "start"]);

        await ExecuteAdminAsync($"CREATE ROLE {AppRole} LOGIN");
    }

    /// <summary>Creates an empty database owned by an ordinary (non-superuser) role and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string hint)
    {
        var name = $"agrichain_{Interlocked.Increment(ref _databaseCounter).ToString(CultureInfo.InvariantCulture)}_{Sanitise(hint)}";
        await ExecuteAdminAsync($"CREATE DATABASE {name} OWNER {AppRole}");
        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = AppRole,
            Database = name,
            Timeout = 15,
        }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (_root is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
        {
            await RunPostgresToolAsync("pg_ctl", ["-D", DataFolder, "-m", "fast", "-w", "-t", "60", "stop"]);
        }

        Directory.Delete(_root, recursive: true);
    }

    private static string? FindBinaries()
    {
        if (!Directory.Exists(BinariesRoot))
        {
            return null;
        }

        return Directory.GetDirectories(BinariesRoot)
            .Select(folder => (Folder: folder, Version: decimal.TryParse(Path.GetFileName(folder), NumberStyles.Number, CultureInfo.InvariantCulture, out var version) ? version : -1))
            .Where(candidate => candidate.Version >= 0
                && File.Exists(Path.Combine(candidate.Folder, "bin", "initdb"))
                && File.Exists(Path.Combine(candidate.Folder, "bin", "pg_ctl")))
            .OrderByDescending(candidate => candidate.Version)
            .Select(candidate => Path.Combine(candidate.Folder, "bin"))
            .FirstOrDefault();
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

    private async Task ExecuteAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task RunPostgresToolAsync(string tool, IReadOnlyList<string> arguments)
    {
        var path = Path.Combine(_binaries!, tool);
        try
        {
            if (RunningAsRoot)
            {
                await RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments], asPostgres: true);
            }
            else
            {
                await RunAsync(path, arguments, asPostgres: true);
            }
        }
        catch (InvalidOperationException exception)
        {
            var log = File.Exists(LogFile) ? await File.ReadAllTextAsync(LogFile) : "(no server log)";
            throw new InvalidOperationException($"{exception.Message}\nServer log:\n{log}\n{InstallHint}", exception);
        }
    }

    private async Task RunAsync(string fileName, IReadOnlyList<string> arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The postgres account may not be able to enter the test's working directory.
            WorkingDirectory = asPostgres ? _root! : Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} did not finish within {CommandTimeout.TotalSeconds} s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}.\n{await output}\n{await error}");
        }
    }
}

/// <summary>Puts the PostgreSQL test classes in one collection so that they share one server.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
