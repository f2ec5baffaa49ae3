namespace AgriChain.Storage.Tests.Infrastructure;

/// <summary>
/// A temporary folder of SQLite files for the SQLite half of a store's tests, one file per hint; disposing it lets go
/// of the pooled connections and deletes the folder.
/// </summary>
public sealed class SqliteFiles(string purpose) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory($"agrichain-{purpose}-tests-").FullName;

    public Task<StorageSettings> SettingsAsync(string hint) =>
        Task.FromResult(new StorageSettings(StorageProvider.Sqlite, $"Data Source={Path.Combine(_folder, $"{hint}.db")}"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
