using System.Data.Common;
using System.Xml;
using System.Xml.Linq;
using AgriChain.Storage;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AgriChain.Server.Web;

/// <summary>
/// Data Protection's key ring in AgriChain's own database, table <c>agrichain_data_protection_keys</c>
/// (deploy/sql/*/008-data-protection.sql): every silo reads and adds keys there, so the session cookie and the
/// antiforgery tokens one silo issues are accepted by every other, and by itself after a restart.
/// </summary>
/// <remarks>
/// The keys are stored unencrypted at rest, master key included, as Data Protection's default file repository stores
/// them on Linux: no XML encryptor is configured. Whoever can read the table can read and forge web sessions, so the
/// database credentials (and for SQLite the file's permissions and backups) protect the session keys as well.
/// <see cref="IXmlRepository"/> is synchronous, so the calls here are too; Data Protection makes them rarely (when
/// it loads or refreshes its key ring, about once a day, and when it adds a key). On SQLite the connection comes from
/// the gated data source like every other, and waits for the gate.
/// </remarks>
internal sealed partial class DatabaseKeyRepository : IXmlRepository
{
    public const string Table = "agrichain_data_protection_keys";

    private const string Script = "008-data-protection.sql";

    private readonly AgriChainDatabase _database;
    private readonly TimeProvider _time;
    private readonly ILogger<DatabaseKeyRepository> _logger;
    private readonly bool _sqlite;

    public DatabaseKeyRepository(AgriChainDatabase database, TimeProvider time, ILogger<DatabaseKeyRepository> logger)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _database = database;
        _time = time;
        _logger = logger;
        _sqlite = database.Provider == StorageProvider.Sqlite;
    }

    private string StoredAt => _sqlite ? "stored_at_us" : "stored_at";

    /// <summary>Every stored element (keys and revocations), in the order they were stored.</summary>
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        var elements = new List<XElement>();
        Run(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT friendly_name, xml FROM {Table} ORDER BY {StoredAt}, friendly_name";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                elements.Add(Parse(reader.GetString(0), reader.GetString(1)));
            }
        });
        return elements;
    }

    /// <summary>
    /// Stores <paramref name="element"/> under <paramref name="friendlyName"/> (a new unique name when none is given),
    /// once: a name already stored keeps its element, whatever is offered again.
    /// </summary>
    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        var name = string.IsNullOrWhiteSpace(friendlyName) ? Guid.NewGuid().ToString("D") : friendlyName;
        var now = _time.GetUtcNow();
        var inserted = 0;
        Run(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"INSERT INTO {Table} (friendly_name, xml, {StoredAt}) VALUES (@name, @xml, @storedAt) ON CONFLICT (friendly_name) DO NOTHING";
            Add(command, "name", name);
            Add(command, "xml", element.ToString(SaveOptions.DisableFormatting));
            // SQLite keeps times as unix microseconds, PostgreSQL as timestamptz (Npgsql writes a UTC DateTime there).
            Add(command, "storedAt", _sqlite ? (now.UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond : now.UtcDateTime);
            inserted = command.ExecuteNonQuery();
        });

        if (inserted == 0)
        {
            LogAlreadyStored(_logger, name);
        }
        else
        {
            LogStored(_logger, name);
        }
    }

    private void Run(Action<DbConnection> work)
    {
        try
        {
            using var connection = _database.DataSource.OpenConnection();
            work(connection);
        }
        catch (DbException exception) when (IsMissingTable(exception))
        {
            // The silo applies the schema before the HTTP server starts; this is a database the scripts were not
            // applied to (Storage:ApplySchema=false and script 008 not yet run by hand).
            throw new InvalidOperationException(
                $"The web session keys cannot be read: table {Table} does not exist in the {_database.Provider} database. "
                + $"Apply deploy/sql/{(_sqlite ? "sqlite" : "postgresql")}/{Script} (the host applies it at start unless Storage:ApplySchema is false).",
                exception);
        }
    }

    private static XElement Parse(string friendlyName, string xml)
    {
        try
        {
            return XElement.Parse(xml);
        }
        catch (XmlException exception)
        {
            throw new InvalidOperationException($"The web session key '{friendlyName}' in {Table} is not well-formed XML.", exception);
        }
    }

    private static bool IsMissingTable(DbException exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 1 && sqlite.Message.Contains("no such table", StringComparison.Ordinal),
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UndefinedTable,
        _ => false,
    };

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
