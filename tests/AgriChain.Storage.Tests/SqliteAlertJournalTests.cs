using AgriChain.Storage.Tests.Infrastructure;

namespace AgriChain.Storage.Tests;

public sealed class SqliteAlertJournalTests : AlertJournalTests, IDisposable
{
    private readonly SqliteFiles _files = new("alerts");

    public void Dispose() => _files.Dispose();

    protected override Task<StorageSettings> CreateDatabaseAsync(string hint) => _files.SettingsAsync(hint);
}
