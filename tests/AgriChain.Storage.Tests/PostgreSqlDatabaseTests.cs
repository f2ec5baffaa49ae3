using AgriChain.Storage.Tests.Infrastructure;

namespace AgriChain.Storage.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlDatabaseTests(PostgresServer server)
{
    [Fact]
    public async Task TwoHostsApplyingTheSchemaAtOnce_BothSucceed()
    {
        var connectionString = await server.CreateDatabaseAsync("race");
        var options = new StorageOptions { Provider = "PostgreSql", ConnectionString = connectionString };
        await using var first = new AgriChainDatabase(options);
        await using var second = new AgriChainDatabase(options);

        await Task.WhenAll(
            first.ApplySchemaAsync(CancellationToken.None),
            second.ApplySchemaAsync(CancellationToken.None),
            first.ApplySchemaAsync(CancellationToken.None),
            second.ApplySchemaAsync(CancellationToken.None));

        Assert.Equal(first.SchemaScripts.Max(s => s.Version), await first.GetSchemaVersionAsync(CancellationToken.None));
        Assert.Equal(11, await Sql.CountAsync(second, "SELECT COUNT(*) FROM OrleansQuery WHERE QueryKey IN ('WriteToStorageKey','ReadFromStorageKey','ClearStorageKey','DeleteStorageKey','UpsertReminderRowKey','ReadReminderRowsKey','ReadReminderRowKey','ReadRangeRows1Key','ReadRangeRows2Key','DeleteReminderRowKey','DeleteReminderRowsKey')"));
    }

    [Fact]
    public async Task SchemaAppliedByAnOrdinaryDatabaseOwner_LeavesTheTablesToThatOwner()
    {
        var connectionString = await server.CreateDatabaseAsync("owner");
        await using var database = new AgriChainDatabase(new StorageOptions { Provider = "PostgreSql", ConnectionString = connectionString });

        await database.ApplySchemaAsync(CancellationToken.None);

        Assert.Equal(7, await Sql.CountAsync(database,
            "SELECT COUNT(*) FROM pg_tables WHERE tableowner = 'agrichain' AND tablename IN ('agrichain_schema_version', 'orleansquery', 'orleansstorage', 'orleansreminderstable', 'agrichain_readings', 'agrichain_readings_default', 'agrichain_alerts')"));
    }
}
