using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace AgriChain.Benchmarks.Infrastructure;

/// <summary>
/// A private PostgreSQL server for one benchmark run, started the way the storage tests start theirs
/// (tests/AgriChain.Storage.Tests/Infrastructure/PostgresServer.cs): initdb into a temporary folder as the postgres
/// account, listening on 127.0.0.1 and a free port, stopped and deleted at the end. Unlike the tests' server it runs
/// with fsync and synchronous commits on, so that "durable" means what it means in production.
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    public const string InstallHint =
        "PostgreSQL server binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin. "
        + "Install them with `apt-get update && apt-get install -y postgresql` (as root), then run again.";

    private const string BinariesRoot = "/usr/lib/postgresql";
    private const string AppRole = "agrichain";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private static readonly bool RunningAsRoot = string.Equals(Environment.UserName, "root", StringComparison.Ordinal);

    private readonly string _root;
    private readonly string _binaries;

    private PostgresServer(string root, string binaries, int port)
    {
        _root = root;
        _binaries = binaries;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The postmaster's process id, for CPU and memory readings (its backends are separate processes).</summary>
    public int? PostmasterId
    {
        get
        {
            var file = Path.Combine(DataFolder, "postmaster.pid");
            return File.Exists(file) && int.TryParse(File.ReadLines(file).FirstOrDefault(), CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
    }

    private string DataFolder => Path.Combine(_root, "data");

    private string LogFile => Path.Combine(_root, "server.log");

    private string AdminConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = "postgres",
        Pooling = false,
    }.ConnectionString;

    public static bool IsInstalled => FindBinaries() is not null;

    public static async Task<PostgresServer> StartAsync()
    {
        var binaries = FindBinaries() ?? throw new InvalidOperationException(InstallHint);
        var root = Directory.CreateTempSubdirectory("agrichain-bench-pg-").FullName;
        var server = new PostgresServer(root, binaries, Repository.FreePort());
        if (RunningAsRoot)
        {
            await RunAsync("chown", ["postgres:postgres", root], root, asPostgres: false);
        }

        await server.ToolAsync("initdb", ["-D", server.DataFolder, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        var serverOptions = string.Join(' ',
            $"-p {server.Port.ToString(CultureInfo.InvariantCulture)}",
            $"-k {root}",
            "-c listen_addresses=127.0.0.1",
            "-c max_connections=200",
            "-c shared_buffers=256MB");
        await server.ToolAsync("pg_ctl", ["-D", server.DataFolder, "-l", server.LogFile, "-w", "-t", "60", "-o", serverOptions, "start"]);
        await server.ExecuteAdminAsync($"CREATE ROLE {AppRole} LOGIN");
        return server;
    }

    /// <summary>Creates an empty database owned by an ordinary role and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await ExecuteAdminAsync($"CREATE DATABASE {name} OWNER {AppRole}");
        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = AppRole,
            Database = name,
            Timeout = 30,
            MaxPoolSize = 100,
        }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
        {
            await ToolAsync("pg_ctl", ["-D", DataFolder, "-m", "fast", "-w", "-t", "60", "stop"]);
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

    private async Task ExecuteAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task ToolAsync(string tool, IReadOnlyList<string> arguments)
    {
        var path = Path.Combine(_binaries, tool);
        try
        {
            if (RunningAsRoot)
            {
                await RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments], _root, asPostgres: true);
            }
            else
            {
                await RunAsync(path, arguments, _root, asPostgres: true);
            }
        }
        catch (InvalidOperationException exception)
        {
            var log = File.Exists(LogFile) ? await File.ReadAllTextAsync(LogFile) : "(no server log)";
            throw new InvalidOperationException($"{exception.Message}\nServer log:\n{log}", exception);
        }
    }

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, string root, bool asPostgres)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The postgres account may not be able to enter the current directory.
            WorkingDirectory = asPostgres ? root : Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
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
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}.\n{await output}\n{await error}");
        }
    }
}
