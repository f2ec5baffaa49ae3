using AgriChain.Storage.Tests.Infrastructure;

namespace AgriChain.Storage.Tests;

public sealed class SqliteReadingStoreTests(StorageTestContext context)
    : ReadingStoreTests(context), IClassFixture<StorageTestContext>
{
    protected override string PoisonTriggerSql =>
        """
        CREATE TRIGGER agrichain_readings_poison BEFORE INSERT ON agrichain_readings
        WHEN NEW.sensor_id = 'poison'
        BEGIN
            SELECT RAISE(ABORT, 'poisoned reading');
        END
        """;

    protected override string DropPoisonTriggerSql => "DROP TRIGGER agrichain_readings_poison";

    // The gated SQLite data source hands out one connection at a time anyway.
    protected override Task<StorageSettings> CreateDatabaseAsync(string hint, bool singleConnection = false) =>
        Task.FromResult(new StorageSettings(
            StorageProvider.Sqlite,
            $"Data Source={Path.Combine(Context.TempFolder, $"{hint}-{Guid.NewGuid():N}.db")}"));
}
