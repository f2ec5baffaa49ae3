using AgriChain.Domain.Greenhouses;
using AgriChain.Storage.Tests.Infrastructure;
using Npgsql;

namespace AgriChain.Storage.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlReadingStoreTests(PostgresServer server, StorageTestContext context)
    : ReadingStoreTests(context), IClassFixture<StorageTestContext>
{
    private const string RowsPerPartition =
        """
        SELECT c.relname || '=' || COUNT(*)
        FROM agrichain_readings r JOIN pg_class c ON c.oid = r.tableoid
        GROUP BY c.relname
        ORDER BY c.relname
        """;

    protected override string PoisonTriggerSql =>
        """
        CREATE FUNCTION agrichain_readings_poison() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.sensor_id = 'poison' THEN
                RAISE EXCEPTION 'poisoned reading';
            END IF;
            RETURN NEW;
        END
        $$;
        CREATE TRIGGER agrichain_readings_poison BEFORE INSERT ON agrichain_readings
            FOR EACH ROW EXECUTE FUNCTION agrichain_readings_poison();
        """;

    protected override string DropPoisonTriggerSql => "DROP TRIGGER agrichain_readings_poison ON agrichain_readings";

    [Fact]
    public async Task ReadingsOfTwoMonths_LandInTheirMonthsPartitions_AndNotInTheDefault()
    {
        await using var harness = await StoreHarness.OpenAsync(await CreateDatabaseAsync("partitions"));
        var greenhouse = NewGreenhouse();

        await harness.Readings.AppendAsync(greenhouse,
        [
            new Reading(new DateTimeOffset(2025, 3, 31, 23, 59, 59, 999, TimeSpan.Zero), 9.0, null, "s1"),
            new Reading(new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero), 9.5, null, "s1"),
            new Reading(new DateTimeOffset(2025, 4, 20, 6, 0, 0, TimeSpan.Zero), 12.0, null, "s1"),
        ]);

        Assert.Equal(
            ["agrichain_readings_y2025m03=1", "agrichain_readings_y2025m04=2"],
            await ReadStringsAsync(harness.Database, RowsPerPartition));
        Assert.Equal(
            ["agrichain_readings_default", "agrichain_readings_y2025m03", "agrichain_readings_y2025m04"],
            await ReadStringsAsync(harness.Database,
                "SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'agrichain_readings'::regclass ORDER BY 1"));
    }

    [Fact]
    public async Task AReadingFarInThePast_GetsAPartitionOfItsOwn()
    {
        await using var harness = await StoreHarness.OpenAsync(await CreateDatabaseAsync("far-past"));
        var greenhouse = NewGreenhouse();
        var longAgo = new DateTimeOffset(1987, 6, 1, 12, 0, 0, TimeSpan.Zero);

        var result = await harness.Readings.AppendAsync(greenhouse, [new Reading(longAgo, 21.0, 40.0, "s1")]);

        Assert.Equal(longAgo, Assert.Single(result.Inserted).At);
        Assert.Equal(["agrichain_readings_y1987m06=1"], await ReadStringsAsync(harness.Database, RowsPerPartition));
        Assert.Equal(longAgo, Assert.Single(await harness.Readings.ReadAsync(greenhouse, longAgo, longAgo.AddDays(1), 10)).At);
    }

    [Fact]
    public async Task TwoSilosStartingTheSameNewMonth_BothStoreTheirReadings()
    {
        var settings = await CreateDatabaseAsync("partition-race");
        await using var first = await StoreHarness.OpenAsync(settings);
        await using var second = await StoreHarness.OpenAsync(settings);
        var month = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => (i % 2 == 0 ? first : second).Readings.AppendAsync($"race-{i}", [new Reading(month.AddHours(i), i, null, "s1")]))));

        Assert.All(results, result => Assert.Single(result.Inserted));
        Assert.Equal(["agrichain_readings_y2026m01=8"], await ReadStringsAsync(first.Database, RowsPerPartition));
    }

    protected override async Task<StorageSettings> CreateDatabaseAsync(string hint, bool singleConnection = false)
    {
        var connectionString = await server.CreateDatabaseAsync(hint);
        if (singleConnection)
        {
            connectionString = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 1 }.ConnectionString;
        }

        return new StorageSettings(StorageProvider.PostgreSql, connectionString);
    }

    private static async Task<List<string>> ReadStringsAsync(AgriChainDatabase database, string sql)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
