using System.Globalization;
using AgriChain.Benchmarks.Infrastructure;
using AgriChain.Storage;

namespace AgriChain.Benchmarks;

/// <summary>
/// What the scenarios share: the options, a scratch folder, the private PostgreSQL server when the run is on
/// PostgreSQL, the AgriChain server process with its seeded greenhouses, and the reading feed that keeps each
/// greenhouse's readings in time order across scenarios.
/// </summary>
internal sealed class BenchContext : IAsyncDisposable
{
    private ServerProcess? _server;

    public required BenchmarkOptions Options { get; init; }

    public required Profile Profile { get; init; }

    public required string Folder { get; init; }

    public PostgresServer? Postgres { get; init; }

    public ServerProcess Server => _server ?? throw new InvalidOperationException("The AgriChain server is not running.");

    public HttpClient Admin { get; private set; } = null!;

    public ReadingFeed Feed { get; private set; } = null!;

    /// <summary>When each greenhouse's readings start; the baseline's feed starts at the same instant.</summary>
    public DateTimeOffset FeedStart { get; private set; }

    public const int Probes = 20;

    /// <summary>The average time of a stage PUT while seeding, in milliseconds (see <see cref="AgriChainApi.StagedGreenhouses"/>).</summary>
    public double StagePutMs { get; private set; }

    public double SeedingSeconds { get; private set; }

    /// <summary>Starts AgriChain.Server on a fresh database and seeds the benchmark greenhouses through its API.</summary>
    public async Task StartServerAsync()
    {
        var arguments = new List<string> { $"--Auth:AdminKeys:0={AgriChainApi.AdminKey}", "--Logging:LogLevel:Default=Warning" };
        if (Postgres is not null)
        {
            var connection = await Postgres.CreateDatabaseAsync("agrichain");
            arguments.Add("--Storage:Provider=PostgreSql");
            arguments.Add($"--Storage:ConnectionString={connection}");
        }

        var work = Directory.CreateDirectory(Path.Combine(Folder, "server")).FullName;
        _server = ServerProcess.StartAgriChain(work, arguments);
        await _server.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
        Admin = AgriChainApi.Client(_server.BaseAddress, 16);

        var now = DateTimeOffset.UtcNow;
        FeedStart = now.AddMinutes(-5);
        Feed = new ReadingFeed(Profile.Greenhouses, FeedStart);
        Log($"Seeding {Profile.Greenhouses:N0} greenhouses (+{Probes} probes) through the API");
        var seeding = System.Diagnostics.Stopwatch.StartNew();
        StagePutMs = await AgriChainApi.SeedAsync(Admin, Profile.Greenhouses, Probes, now.AddHours(-1));
        SeedingSeconds = seeding.Elapsed.TotalSeconds;
        Log($"   seeded in {SeedingSeconds:0.0} s; a stage PUT took {StagePutMs:0.0} ms on average");
    }

    public async Task StopServerAsync()
    {
        Admin?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }

    /// <summary>
    /// A second database on the same storage (a file beside AgriChain's, or a database on the same PostgreSQL
    /// server) with AgriChain's schema applied: the same tables and indexes, so a baseline writes what AgriChain writes.
    /// </summary>
    public async Task<AgriChainDatabase> CreateBaselineDatabaseAsync(string name)
    {
        StorageOptions options;
        if (Postgres is not null)
        {
            options = new StorageOptions { Provider = "PostgreSql", ConnectionString = await Postgres.CreateDatabaseAsync(name) };
        }
        else
        {
            var file = Path.Combine(Directory.CreateDirectory(Path.Combine(Folder, "baseline")).FullName, name + ".db");
            options = new StorageOptions { Provider = "Sqlite", ConnectionString = $"Data Source={file}" };
        }

        var database = new AgriChainDatabase(options);
        await database.ApplySchemaAsync(CancellationToken.None);
        return database;
    }

    /// <summary>The processes a scenario's CPU and memory are read from: AgriChain, PostgreSQL, this load generator.</summary>
    public IReadOnlyDictionary<string, Func<IReadOnlyList<int>>> Processes(params (string Name, Func<IReadOnlyList<int>> Ids)[] extra)
    {
        var processes = new Dictionary<string, Func<IReadOnlyList<int>>>(StringComparer.Ordinal);
        if (_server is { } server)
        {
            processes["agrichain"] = () => [server.ProcessId];
        }

        if (Postgres is { } postgres)
        {
            processes["postgresql"] = () => postgres.PostmasterId is { } pid ? ResourceMeter.WithChildren(pid) : [];
        }

        foreach (var (name, ids) in extra)
        {
            processes[name] = ids;
        }

        processes["bench"] = () => [Environment.ProcessId];
        return processes;
    }

    public static void Log(FormattableString message) =>
        Console.WriteLine($"[{DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {message.ToString(CultureInfo.InvariantCulture)}");

    public async ValueTask DisposeAsync()
    {
        await StopServerAsync();
        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the folder is under /tmp anyway.
        }
    }
}
