using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace AgriChain.Storage;

/// <summary>
/// Read-only connections to the same SQLite file as a <see cref="GatedSqliteDataSource"/>, outside its gate.
/// </summary>
/// <remarks>
/// In write-ahead-log mode SQLite lets any number of readers run beside the one writer, each on the snapshot committed
/// when its statement began, so reads have no reason to queue behind the writer gate (where a grain activation's state
/// read would wait for the reading store's group commit). Connections are opened with <c>Mode=ReadOnly</c>: SQLite
/// refuses any write on them, so nothing can bypass the gate by mistake. At most <see cref="MaxReaders"/> are open at
/// once, because Microsoft.Data.Sqlite runs its async methods synchronously and each open reader holds a thread.
/// Never open a writer connection while holding a reader (or the reverse): the two limits are independent.
/// </remarks>
internal sealed class SqliteReadDataSource : DbDataSource
{
    /// <summary>How many read-only connections may be open at once.</summary>
    public static readonly int MaxReaders = Math.Clamp(Environment.ProcessorCount * 2, 2, 8);

    private readonly GatedSqliteDataSource _writer;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _readers = new(MaxReaders, MaxReaders);
    private readonly SlottedSqliteConnection _connections;

    public SqliteReadDataSource(GatedSqliteDataSource writer, string connectionString)
    {
        _writer = writer;
        _connectionString = new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadOnly }.ToString();
        _connections = new SlottedSqliteConnection(_connectionString, $"PRAGMA busy_timeout = {GatedSqliteDataSource.BusyTimeoutMilliseconds};");
    }

    public override string ConnectionString => _connectionString;

    protected override DbConnection CreateDbConnection() => new SqliteConnection(_connectionString);

    protected override DbConnection OpenDbConnection()
    {
        if (!_writer.FileReady)
        {
            // The writer creates the file and turns on write-ahead logging the first time it opens.
            _writer.OpenConnection().Dispose();
        }

        _readers.Wait();
        return OpenHoldingSlot();
    }

    protected override async ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default)
    {
        if (!_writer.FileReady)
        {
            await (await _writer.OpenConnectionAsync(cancellationToken).ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }

        await _readers.WaitAsync(cancellationToken).ConfigureAwait(false);
        return OpenHoldingSlot();
    }

    protected override DbCommand CreateDbCommand(string? commandText = null) =>
        throw new NotSupportedException("Open a connection with OpenConnectionAsync and create the command on it, so that the reader limit applies.");

    protected override DbBatch CreateDbBatch() =>
        throw new NotSupportedException("Open a connection with OpenConnectionAsync and create the batch on it, so that the reader limit applies.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ClearPool();
        }

        base.Dispose(disposing);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        ClearPool();
        await base.DisposeAsyncCore().ConfigureAwait(false);
    }

    /// <summary>Pooled read-only handles keep the file open too; let them go with the data source.</summary>
    private void ClearPool()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    // A reader waits for a lock only in rare moments (recovery of the log after a crash); then it waits as long as a
    // writer would rather than fail.
    private SqliteConnection OpenHoldingSlot() => _connections.Open(_readers);
}
