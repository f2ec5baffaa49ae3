using AgriChain.Contracts.Greenhouses;
using AgriChain.Domain.Greenhouses;
using AgriChain.Storage.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

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

    [Fact]
    public async Task Reads_DoNotQueueBehindTheWriter()
    {
        var store = Context.Silo.Host.Services.GetRequiredService<IReadingStore>();
        var greenhouse = $"beside-writer-{Guid.NewGuid():N}";
        await store.AppendAsync(greenhouse, [new Reading(Day.AddHours(1), 9.5, 80, "s1"), new Reading(Day.AddHours(2), 11, 78, "s1")]);

        IReadOnlyList<StoredReading> history;
        IReadOnlyList<StoredReading> replay;
        await using (await Context.Silo.Database.DataSource.OpenConnectionAsync())
        {
            // A history query and an activation's replay, while a writer (the group commit, say) holds the gate.
            history = await store.ReadAsync(greenhouse, Day, Day.AddDays(1), 100).WaitAsync(Eventually.DefaultTimeout);
            replay = await store.ReadAfterAsync(greenhouse, 0, 100).WaitAsync(Eventually.DefaultTimeout);
        }

        Assert.Equal([9.5, 11], history.Select(r => r.TemperatureC));
        Assert.Equal(2, replay.Count);
    }
}
