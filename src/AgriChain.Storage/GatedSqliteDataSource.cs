using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace AgriChain.Storage;

/// <summary>
/// A SQLite data source that hands out one open connection at a time.
/// </summary>
/// <remarks>
/// SQLite allows one writer per file, and Microsoft.Data.Sqlite runs its async methods synchronously, so many grains
/// writing at once would otherwise queue inside SQLite's busy handler on grain threads. Here callers wait for the gate
/// asynchronously instead; the gate opens again when the connection is disposed. Every connection runs with
/// <c>synchronous=NORMAL</c> and a busy timeout (for other processes using the same file), and the file is switched
/// to write-ahead logging on first use; the log is copied into the database in the background, outside the gate
/// (<see cref="CheckpointPeriod"/>), with commits checkpointing only past <see cref="WalAutoCheckpointPages"/>. The gate serialises only this process.
/// Connections from <see cref="DbDataSource.CreateConnection"/> are not gated: open them through
/// <see cref="DbDataSource.OpenConnectionAsync"/> instead, as Orleans' ADO.NET providers do. Reads need not take the
/// gate: <see cref="SqliteReadDataSource"/> opens read-only connections to the same file beside it.
/// </remarks>
internal sealed class GatedSqliteDataSource : DbDataSource
{
    /// <summary>How long SQLite waits for a lock held by another process before failing.</summary>
    public const int BusyTimeoutMilliseconds = 10_000;

    /// <summary>
    /// How many pages the write-ahead log may hold before a commit itself copies them into the database (SQLite's
    /// default is 1,000). Normally the background checkpoint (<see cref="CheckpointPeriod"/>) has copied them long
    /// before; this bound only applies when it cannot keep up.
    /// </summary>
    public const int WalAutoCheckpointPages = 20_000;

    /// <summary>
    /// How often a connection outside the gate copies the write-ahead log into the database (a passive checkpoint,
    /// which never blocks writers). Done by a commit instead, the copy and its fsyncs would hold the gate, and every
    /// write of the process (acknowledgements, alerts, grain state) would wait behind it.
    /// </summary>
    public static readonly TimeSpan CheckpointPeriod = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Timer? _checkpoints;
    private int _checkpointing;
    private volatile bool _disposed;
    private readonly string _connectionString;
    private readonly SlottedSqliteConnection _connections;
    private readonly string? _databaseFile;
    private volatile bool _fileReady;

    public GatedSqliteDataSource(string connectionString, string? databaseFile)
    {
        _connectionString = connectionString;
        _databaseFile = databaseFile;
        _connections = new SlottedSqliteConnection(connectionString,
            $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = {WalAutoCheckpointPages};");
    }

    public override string ConnectionString => _connectionString;

    /// <summary>Whether the file exists in write-ahead-log mode (after the first connection of this data source).</summary>
    internal bool FileReady => _fileReady;

    protected override DbConnection CreateDbConnection() => new SqliteConnection(_connectionString);

    protected override DbConnection OpenDbConnection()
    {
        _gate.Wait();
        return OpenHoldingGate();
    }

    protected override async ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return OpenHoldingGate();
    }

    protected override DbCommand CreateDbCommand(string? commandText = null) =>
        throw new NotSupportedException("Open a connection with OpenConnectionAsync and create the command on it, so that the gate applies.");

    protected override DbBatch CreateDbBatch() =>
        throw new NotSupportedException("Open a connection with OpenConnectionAsync and create the batch on it, so that the gate applies.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            StopCheckpoints();
            ClearPool();
        }

        base.Dispose(disposing);
    }

    // DbDataSource.DisposeAsync calls this and then Dispose(false), so the pool is cleared on both paths.
    protected override async ValueTask DisposeAsyncCore()
    {
        _disposed = true;
        if (_checkpoints is { } checkpoints)
        {
            // Waits for a checkpoint in progress, so no connection outlives the data source.
            await checkpoints.DisposeAsync().ConfigureAwait(false);
        }

        ClearPool();
        await base.DisposeAsyncCore().ConfigureAwait(false);
    }

    private void StopCheckpoints()
    {
        _disposed = true;
        if (_checkpoints is { } checkpoints)
        {
            using var stopped = new ManualResetEvent(false);
            if (checkpoints.Dispose(stopped))
            {
                stopped.WaitOne();
            }
        }
    }

    /// <summary>A passive checkpoint on a connection of its own, outside the gate; skipped while one still runs.</summary>
    private void Checkpoint()
    {
        if (_disposed || Interlocked.Exchange(ref _checkpointing, 1) != 0)
        {
            return;
        }

        try
        {
            using var connection = new SqliteConnection(_connectionString);
            connection.Open();
            Execute(connection, "PRAGMA wal_checkpoint(PASSIVE);");
        }
        catch (SqliteException)
        {
            // The next period tries again; meanwhile commits checkpoint past WalAutoCheckpointPages.
        }
        finally
        {
            Volatile.Write(ref _checkpointing, 0);
        }
    }

    /// <summary>
    /// Pooled handles keep the file (and its -wal/-shm companions) open; let them go with the data source. The last
    /// connection to close folds the write-ahead log into the file and removes it, but only if it may write: when the
    /// pool had already let its connections go (it prunes idle ones) and a read-only reader closed last, the log stays
    /// beside the file. So a connection of our own, outside the pool, closes last.
    /// </summary>
    private void ClearPool()
    {
        using (var pooled = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(pooled);
        }

        if (_fileReady && _databaseFile is not null && File.Exists(_databaseFile))
        {
            using var last = new SqliteConnection(new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString());
            last.Open();
            // A connection opens the log only when it first reads.
            Execute(last, "SELECT COUNT(*) FROM sqlite_master;");
        }
    }

    private SqliteConnection OpenHoldingGate() => _connections.Open(_gate, PrepareFile);

    /// <summary>Creates the file's folder and turns on write-ahead logging, once per data source.</summary>
    private void PrepareFile()
    {
        if (_fileReady)
        {
            return;
        }

        if (_databaseFile is not null)
        {
            var folder = Path.GetDirectoryName(_databaseFile);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }

        using (var connection = new SqliteConnection(_connectionString))
        {
            connection.Open();
            // The journal mode is stored in the file, so this is needed once, not per connection.
            Execute(connection, $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA journal_mode = WAL;");
        }

        if (_databaseFile is not null)
        {
            _checkpoints = new Timer(_ => Checkpoint(), null, CheckpointPeriod, CheckpointPeriod);
        }

        _fileReady = true;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
