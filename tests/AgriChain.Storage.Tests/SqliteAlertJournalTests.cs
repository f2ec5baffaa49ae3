namespace AgriChain.Storage.Tests;

public sealed class SqliteAlertJournalTests : AlertJournalTests, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agrichain-alerts-tests-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    protected override Task<Infrastructure.StorageSettings> CreateDatabaseAsync(string hint) =>
        Task.FromResult(new Infrastructure.StorageSettings(StorageProvider.Sqlite, $"Data Source={Path.Combine(_folder, $"{hint}.db")}"));
}
