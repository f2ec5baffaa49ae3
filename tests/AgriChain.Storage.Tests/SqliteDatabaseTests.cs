using AgriChain.Storage.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace AgriChain.Storage.Tests;

public sealed class SqliteDatabaseTests : IDisposable
{
    /// <summary>The busy timeout every gated connection sets (GatedSqliteDataSource.BusyTimeoutMilliseconds).</summary>
    private const int GatedSqliteBusyTimeout = 10_000;

    private readonly string _folder = Directory.CreateTempSubdirectory("agrichain-sqlite-tests-").FullName;

    [Fact]
    public async Task SecondConnection_WaitsUntilTheFirstIsDisposed()
    {
        await using var database = CreateDatabase("gate.db");
        var first = await database.DataSource.OpenConnectionAsync();

        var second = database.DataSource.OpenConnectionAsync().AsTask();
        Assert.False(second.IsCompleted, "the gate should hold the second caller while the first connection is out");

        await first.DisposeAsync();
        await using var secondConnection = await second.WaitAsync(Eventually.DefaultTimeout);
        Assert.Equal(System.Data.ConnectionState.Open, secondConnection.State);
    }

    [Fact]
    public async Task WaitingForTheGate_HonoursCancellation()
    {
        await using var database = CreateDatabase("cancel.db");
        await using var held = await database.DataSource.OpenConnectionAsync();
        using var cancellation = new CancellationTokenSource();

        var waiting = database.DataSource.OpenConnectionAsync(cancellation.Token).AsTask();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Eventually.DefaultTimeout));
    }

    [Fact]
    public async Task Readers_DoNotWaitForTheWriter_AndSeeOnlyWhatItCommitted()
    {
        await using var database = CreateDatabase("readers.db");
        await Sql.ExecuteAsync(database, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL); INSERT INTO notes (body) VALUES ('first frost')");

        // The writer holds the gate, in the middle of a transaction.
        await using var writer = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await writer.BeginTransactionAsync();
        await using (var insert = writer.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO notes (body) VALUES ('second frost')";
            await insert.ExecuteNonQueryAsync();
        }

        await using (var reader = await database.ReadDataSource.OpenConnectionAsync().AsTask().WaitAsync(Eventually.DefaultTimeout))
        {
            Assert.Equal(1L, await ScalarAsync(reader, "SELECT COUNT(*) FROM notes"));
        }

        await transaction.CommitAsync();
        await using (var reader = await database.ReadDataSource.OpenConnectionAsync().AsTask().WaitAsync(Eventually.DefaultTimeout))
        {
            Assert.Equal(2L, await ScalarAsync(reader, "SELECT COUNT(*) FROM notes"));
        }
    }

    [Fact]
    public async Task ReaderConnections_RefuseWrites()
    {
        await using var database = CreateDatabase("read-only.db");
        await Sql.ExecuteAsync(database, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");

        await using var reader = await database.ReadDataSource.OpenConnectionAsync();
        var refused = await Assert.ThrowsAsync<SqliteException>(() => ScalarAsync(reader, "INSERT INTO notes (body) VALUES ('sneaked past the gate')"));

        Assert.Equal(8, refused.SqliteErrorCode); // SQLITE_READONLY
        Assert.Equal(0L, await Sql.ScalarAsync(database, "SELECT COUNT(*) FROM notes"));
    }

    [Fact]
    public async Task ReaderAsFirstConnection_FindsTheFileCreatedInWalMode()
    {
        await using var database = CreateDatabase(Path.Combine("fresh", "first-read.db"));

        await using var reader = await database.ReadDataSource.OpenConnectionAsync();

        Assert.Equal("wal", await ScalarAsync(reader, "PRAGMA journal_mode"));
        Assert.True(File.Exists(database.DatabaseFile));
    }

    [Fact]
    public async Task UriFileName_ReadsThroughTheWriter()
    {
        await using var database = new AgriChainDatabase(new StorageOptions { Provider = "Sqlite", ConnectionString = $"Data Source=file:{Path.Combine(_folder, "uri.db")}" });

        Assert.Same(database.DataSource, database.ReadDataSource);
        await Sql.ExecuteAsync(database, "CREATE TABLE notes (id INTEGER PRIMARY KEY)");
        await using var reader = await database.ReadDataSource.OpenConnectionAsync();
        Assert.Equal(0L, await ScalarAsync(reader, "SELECT COUNT(*) FROM notes"));
    }

    [Fact]
    public async Task Connections_UseWalAndNormalSynchronous()
    {
        await using var database = CreateDatabase("pragmas.db");

        Assert.Equal("wal", await Sql.ScalarAsync(database, "PRAGMA journal_mode"));
        Assert.Equal(1L, await Sql.ScalarAsync(database, "PRAGMA synchronous"));
        Assert.Equal((long)GatedSqliteBusyTimeout, await Sql.ScalarAsync(database, "PRAGMA busy_timeout"));
        Assert.Equal(20_000L, await Sql.ScalarAsync(database, "PRAGMA wal_autocheckpoint"));
    }

    [Fact]
    public async Task ConnectionSettings_HoldOnEveryOpen_NotOnlyTheFirst()
    {
        await using var database = CreateDatabase("pragmas-again.db");
        for (var open = 0; open < 3; open++)
        {
            Assert.Equal(1L, await Sql.ScalarAsync(database, "PRAGMA synchronous"));
            Assert.Equal(20_000L, await Sql.ScalarAsync(database, "PRAGMA wal_autocheckpoint"));
        }
    }

    [Fact]
    public async Task CommittedPages_ReachTheDatabaseFile_InTheBackground_WithoutAnotherCommit()
    {
        var file = Path.Combine(_folder, "checkpoint.db");
        await using var database = CreateDatabase("checkpoint.db");
        await Sql.ExecuteAsync(database, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
        var before = new FileInfo(file).Length;

        // Far fewer pages than a commit's own checkpoint threshold: only the background checkpoint copies them.
        await Sql.ExecuteAsync(database,
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO notes (body) SELECT printf('note %d of the season', i) FROM n");

        var after = await Eventually.Satisfies(() => Task.FromResult(new FileInfo(file).Length), length => length > before + 16_384,
            "the database file to grow by the committed pages");
        Assert.True(after > before);
    }

    [Fact]
    public async Task ApplySchema_CreatesTheMissingFolderOfTheFile()
    {
        var file = Path.Combine(_folder, "nested", "deeper", "agrichain.db");
        await using var database = new AgriChainDatabase(new StorageOptions { ConnectionString = $"Data Source={file}" });

        await database.ApplySchemaAsync(CancellationToken.None);

        Assert.True(File.Exists(file));
        Assert.Equal(file, database.DatabaseFile);
        Assert.Equal(database.SchemaScripts.Max(s => s.Version), await database.GetSchemaVersionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task DefaultConnectionString_IsAFileUnderDataInTheCurrentDirectory()
    {
        await using var database = new AgriChainDatabase(new StorageOptions());

        Assert.Equal(StorageProvider.Sqlite, database.Provider);
        Assert.Equal("System.Data.SQLite", database.Invariant);
        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "data", "agrichain.db"), database.DatabaseFile);
        Assert.Equal(database.DatabaseFile, new SqliteConnectionStringBuilder(database.ConnectionString).DataSource);
    }

    [Fact]
    public async Task DisposingTheDatabase_ReleasesTheFile()
    {
        var file = Path.Combine(_folder, "release.db");
        var database = new AgriChainDatabase(new StorageOptions { ConnectionString = $"Data Source={file}" });
        await database.ApplySchemaAsync(CancellationToken.None);
        await using (var reader = await database.ReadDataSource.OpenConnectionAsync())
        {
            Assert.NotNull(await ScalarAsync(reader, "SELECT MAX(version) FROM agrichain_schema_version"));
        }

        await database.DisposeAsync();

        // With every pooled handle closed, SQLite folds the write-ahead log back and removes it.
        Assert.False(File.Exists(file + "-wal"), "the -wal file should be gone once the last connection closed");
        File.Delete(file);
    }

    [Fact]
    public async Task DisposingTheDatabase_FoldsTheLog_EvenWhenAReaderClosedLast()
    {
        var file = Path.Combine(_folder, "reader-last.db");
        var database = new AgriChainDatabase(new StorageOptions { ConnectionString = $"Data Source={file}" });
        await database.ApplySchemaAsync(CancellationToken.None);
        await using (var reader = await database.ReadDataSource.OpenConnectionAsync())
        {
            Assert.NotNull(await ScalarAsync(reader, "SELECT MAX(version) FROM agrichain_schema_version"));

            // The pool lets the idle writer go (as its pruning does after a few idle minutes) while the reader is out.
            SqliteConnection.ClearAllPools();
        }

        await database.DisposeAsync();

        Assert.False(File.Exists(file + "-wal"), "the -wal file should be gone once the data sources are disposed");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static async Task<object?> ScalarAsync(System.Data.Common.DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private AgriChainDatabase CreateDatabase(string fileName) =>
        new(new StorageOptions { Provider = "Sqlite", ConnectionString = $"Data Source={Path.Combine(_folder, fileName)}" });
}
