using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AgriChain.Storage;

/// <summary>Parses and normalises connection strings for each provider.</summary>
internal static class ConnectionStrings
{
    /// <summary>Whether the driver accepts <paramref name="connectionString"/>; the driver's complaint otherwise.</summary>
    public static bool TryParse(StorageProvider provider, string connectionString, [NotNullWhen(false)] out string? problem)
    {
        try
        {
            _ = provider == StorageProvider.Sqlite
                ? (object)new SqliteConnectionStringBuilder(connectionString)
                : new NpgsqlConnectionStringBuilder(connectionString);
            problem = null;
            return true;
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidOperationException)
        {
            // The drivers' messages name the keyword at fault, never a value, so no secret leaks into the log.
            problem = exception.Message;
            return false;
        }
    }

    /// <summary>
    /// The SQLite connection string with its file path made absolute against the current directory, so that the
    /// database stays the same file if the process later changes directory. In-memory databases are left alone.
    /// </summary>
    public static string NormaliseSqlite(string? connectionString, out string? databaseFile)
    {
        var builder = new SqliteConnectionStringBuilder(
            string.IsNullOrWhiteSpace(connectionString) ? StorageOptions.DefaultSqliteConnectionString : connectionString);
        var dataSource = builder.DataSource;
        if (IsInMemorySqlite(builder) || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            // URI file names are passed to SQLite as given.
            databaseFile = null;
            return builder.ToString();
        }

        databaseFile = Path.GetFullPath(dataSource);
        builder.DataSource = databaseFile;
        return builder.ToString();
    }

    /// <summary>Whether the SQLite connection string names no file, so the data would vanish with the connection.</summary>
    public static bool IsInMemorySqlite(string connectionString) =>
        IsInMemorySqlite(new SqliteConnectionStringBuilder(connectionString));

    private static bool IsInMemorySqlite(SqliteConnectionStringBuilder builder) =>
        builder.Mode == SqliteOpenMode.Memory
        || string.IsNullOrWhiteSpace(builder.DataSource)
        || string.Equals(builder.DataSource, ":memory:", StringComparison.OrdinalIgnoreCase);
}
