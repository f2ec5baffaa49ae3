using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace AgriChain.Testing;

/// <summary>
/// A private PostgreSQL server in a temporary folder: initdb, then pg_ctl start on 127.0.0.1 and the given port with
/// the given settings; stopped and deleted on dispose. As root the tools run as the postgres account (initdb refuses
/// root), which then owns the folder. Linked into the storage and cluster tests and the benchmarks, each of which
/// chooses its own settings (the tests trade durability for speed; the benchmarks keep production's).
/// </summary>
internal sealed class PrivatePostgres : IAsyncDisposable
{
    public const string BinariesRoot = "/usr/lib/postgresql";
    public const string AppRole = "agrichain";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private static readonly bool RunningAsRoot = string.Equals(Environment.UserName, "root", StringComparison.Ordinal);

    private readonly string _root;
    private readonly string _binaries;
    private readonly string _installHint;

    private PrivatePostgres(string root, string binaries, int port, string installHint)
    {
        _root = root;
        _binaries = binaries;
        _installHint = installHint;
        Port = port;
    }

    /// <summary>The TCP port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The postmaster's process id (its backends are separate processes), or null when it is not running.</summary>
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

    /// <summary>The newest installed server's bin folder (with initdb and pg_ctl), or null.</summary>
    public static string? FindBinaries()
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

    /// <summary>
    /// Starts a server with <paramref name="settings"/> (<c>name=value</c> each) and an ordinary login role,
    /// <see cref="AppRole"/>; fails with <paramref name="installHint"/> when no server is installed.
    /// </summary>
    public static async Task<PrivatePostgres> StartAsync(string folderPrefix, int port, IEnumerable<string> settings, string installHint)
    {
        var binaries = FindBinaries()
            ?? throw new InvalidOperationException($"No PostgreSQL server binaries (initdb, pg_ctl) were found under {BinariesRoot}/*/bin. {installHint}");
        var server = new PrivatePostgres(Directory.CreateTempSubdirectory(folderPrefix).FullName, binaries, port, installHint);
        if (RunningAsRoot)
        {
            await RunAsync("chown", ["postgres:postgres", server._root], server._root, asPostgres: false);
        }

        await server.ToolAsync("initdb", ["-D", server.DataFolder, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        var options = string.Join(' ', new[]
        {
            $"-p {port.ToString(CultureInfo.InvariantCulture)}",
            $"-k {server._root}",
            "-c listen_addresses=127.0.0.1",
        }.Concat(settings.Select(setting => $"-c {setting}")));
        await server.ToolAsync("pg_ctl", ["-D", server.DataFolder, "-l", server.LogFile, "-w", "-t", "60", "-o", options, "start"]);
        await server.ExecuteAdminAsync($"CREATE ROLE {AppRole} LOGIN");
        return server;
    }

    /// <summary>Creates an empty database owned by <see cref="AppRole"/> and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, int timeoutSeconds, int? maxPoolSize = null)
    {
        await ExecuteAdminAsync($"CREATE DATABASE {name} OWNER {AppRole}");
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = AppRole,
            Database = name,
            Timeout = timeoutSeconds,
        };
        if (maxPoolSize is { } size)
        {
            builder.MaxPoolSize = size;
        }

        return builder.ConnectionString;
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
            throw new InvalidOperationException($"{exception.Message}\nServer log:\n{log}\n{_installHint}", exception);
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
