using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AgriChain.Storage;

/// <summary>
/// Opens SQLite connections for a data source that limits how many are out at once (<see cref="GatedSqliteDataSource"/>'s
/// one writer, <see cref="SqliteReadDataSource"/>'s readers): the caller has taken a slot of the limit, which the
/// connection gives back when it is disposed, or at once if it cannot be opened.
/// </summary>
internal sealed class SlottedSqliteConnection(string connectionString, string settingsSql)
{
    // Settings belong to the native connection, which the pool keeps open: applied once per native connection.
    private readonly ConditionalWeakTable<sqlite3, sqlite3> _configured = new();

    /// <summary>Opens a connection holding a slot of <paramref name="slots"/>; <paramref name="prepare"/> runs first.</summary>
    public SqliteConnection Open(SemaphoreSlim slots, Action? prepare = null)
    {
        SqliteConnection? connection = null;
        try
        {
            prepare?.Invoke();
            connection = new SqliteConnection(connectionString);
            connection.Open();
            var handle = connection.Handle!;
            if (!_configured.TryGetValue(handle, out _))
            {
                using var command = connection.CreateCommand();
                command.CommandText = settingsSql;
                command.ExecuteNonQuery();
                _configured.AddOrUpdate(handle, handle);
            }

            var released = 0;
            connection.Disposed += (_, _) =>
            {
                if (Interlocked.Exchange(ref released, 1) == 0)
                {
                    slots.Release();
                }
            };
            return connection;
        }
        catch
        {
            connection?.Dispose();
            slots.Release();
            throw;
        }
    }
}
