namespace AgriChain.Storage;

/// <summary>The database that holds grain state, reminders and the project's own tables.</summary>
public enum StorageProvider
{
    /// <summary>One SQLite file, for a single host (embedded mode).</summary>
    Sqlite,

    /// <summary>A PostgreSQL database shared by every host of a cluster.</summary>
    PostgreSql,
}
