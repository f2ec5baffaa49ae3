using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AgriChain.Storage;

/// <summary>
/// The one database of an AgriChain host: which provider, how to reach it, and the schema it needs. A singleton,
/// built from validated <see cref="StorageOptions"/>; Orleans' grain storage and reminder table share its
/// <see cref="DataSource"/>, and so should the project's own stores; reads may use <see cref="ReadDataSource"/>.
/// </summary>
public sealed partial class AgriChainDatabase : IAsyncDisposable
{
    /// <summary>The ADO.NET invariant Orleans uses for SQLite (served by Microsoft.Data.Sqlite).</summary>
    public const string SqliteInvariant = "System.Data.SQLite";

    /// <summary>The ADO.NET invariant Orleans uses for PostgreSQL.</summary>
    public const string PostgreSqlInvariant = "Npgsql";

    /// <summary>The advisory-lock key that serialises schema application across hosts (ASCII "AgriSchm").</summary>
    private const long SchemaLockKey = 0x41677269_5363686D;

    private readonly ILogger<AgriChainDatabase> _logger;
    private readonly string? _databaseFile;

    /// <summary>Builds the database from the host's validated options.</summary>
    public AgriChainDatabase(IOptions<StorageOptions> options, ILogger<AgriChainDatabase> logger)
        : this(options?.Value ?? throw new ArgumentNullException(nameof(options)), logger)
    {
    }

    /// <summary>Builds the database from <paramref name="options"/>, which are validated here.</summary>
    /// <exception cref="OptionsValidationException">The options are not valid.</exception>
    public AgriChainDatabase(StorageOptions options, ILogger<AgriChainDatabase>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new StorageOptionsValidator().Validate(Options.DefaultName, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(StorageOptions), validation.Failures);
        }

        _logger = logger ?? NullLogger<AgriChainDatabase>.Instance;
        Provider = StorageOptions.TryParseProvider(options.Provider, out var provider)
            ? provider
            : throw new UnreachableException("The validator accepted an unknown provider.");
        if (provider == StorageProvider.Sqlite)
        {
            Invariant = SqliteInvariant;
            ConnectionString = ConnectionStrings.NormaliseSqlite(options.ConnectionString, out _databaseFile);
            var writer = new GatedSqliteDataSource(ConnectionString, _databaseFile);
            DataSource = writer;
            // A URI file name goes to SQLite as given (its own mode and options included): it reads through the writer.
            ReadDataSource = _databaseFile is null ? writer : new SqliteReadDataSource(writer, ConnectionString);
        }
        else
        {
            Invariant = PostgreSqlInvariant;
            ConnectionString = options.ConnectionString!;
            DataSource = NpgsqlDataSource.Create(ConnectionString);
            ReadDataSource = DataSource;
        }
    }

    /// <summary>Which database this is.</summary>
    public StorageProvider Provider { get; }

    /// <summary>The ADO.NET invariant name Orleans' providers expect for <see cref="Provider"/>.</summary>
    public string Invariant { get; }

    /// <summary>The connection string; for SQLite with the file path made absolute.</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// Where connections come from. For SQLite it hands out one open connection at a time (the next caller waits until
    /// that connection is disposed), in WAL mode with <c>synchronous=NORMAL</c>; for PostgreSQL it is an
    /// <see cref="NpgsqlDataSource"/> with its own pool.
    /// </summary>
    public DbDataSource DataSource { get; }

    /// <summary>
    /// Where connections that only read come from. For a SQLite file: read-only connections (SQLite refuses writes on
    /// them) beside the writer's gate, so reads run concurrently with each other and with the one writer, each on the
    /// last committed snapshot; for a SQLite URI file name and for PostgreSQL it is <see cref="DataSource"/> itself.
    /// </summary>
    public DbDataSource ReadDataSource { get; }

    /// <summary>The SQLite database file, or <see langword="null"/> for PostgreSQL and in-memory SQLite.</summary>
    public string? DatabaseFile => _databaseFile;

    /// <summary>The schema scripts for <see cref="Provider"/>, in apply order (the files under deploy/sql).</summary>
    public IReadOnlyList<SchemaScript> SchemaScripts => SchemaScriptCatalog.For(Provider);

    /// <summary>
    /// Applies every schema script, in order, in one transaction. Idempotent. For SQLite it creates the file's folder
    /// when missing; for PostgreSQL it holds an advisory lock, so hosts starting together apply it one after another.
    /// </summary>
    public async Task ApplySchemaAsync(CancellationToken cancellationToken)
    {
        var scripts = SchemaScripts;
        LogApplyingSchema(Provider, scripts.Count);
        var started = Stopwatch.GetTimestamp();

        var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                if (Provider == StorageProvider.PostgreSql)
                {
                    await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({SchemaLockKey.ToString(CultureInfo.InvariantCulture)})", cancellationToken).ConfigureAwait(false);
                }

                foreach (var script in scripts)
                {
                    await ExecuteAsync(connection, transaction, script.Sql, cancellationToken).ConfigureAwait(false);
                    LogAppliedScript(Provider, script.Name);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        LogSchemaApplied(Provider, scripts.Count, elapsed.TotalMilliseconds);
    }

    /// <summary>
    /// The highest script version recorded in <c>agrichain_schema_version</c>, or 0 when the schema was never applied.
    /// </summary>
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken)
    {
        var exists = Provider == StorageProvider.Sqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'agrichain_schema_version'"
            : "SELECT CASE WHEN to_regclass('agrichain_schema_version') IS NULL THEN 0 ELSE 1 END";

        var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            if (Convert.ToInt64(await ScalarAsync(connection, exists, cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
            {
                return 0;
            }

            var version = await ScalarAsync(connection, "SELECT MAX(version) FROM agrichain_schema_version", cancellationToken).ConfigureAwait(false);
            return version is null or DBNull ? 0 : Convert.ToInt32(version, CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Runs <c>SELECT 1</c>; <see langword="false"/> when the database cannot be reached. For readiness probes.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var result = await ScalarAsync(connection, "SELECT 1", cancellationToken).ConfigureAwait(false);
                return Convert.ToInt32(result, CultureInfo.InvariantCulture) == 1;
            }
        }
        catch (Exception exception) when (exception is DbException or InvalidOperationException or IOException or UnauthorizedAccessException or TimeoutException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogPingFailed(exception, Provider);
            return false;
        }
    }

    /// <summary>Disposes the data sources; for SQLite this also releases the pooled file handles.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!ReferenceEquals(ReadDataSource, DataSource))
        {
            await ReadDataSource.DisposeAsync().ConfigureAwait(false);
        }

        await DataSource.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
