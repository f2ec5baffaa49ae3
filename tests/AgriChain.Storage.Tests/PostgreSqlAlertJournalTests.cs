using AgriChain.Storage.Tests.Infrastructure;

namespace AgriChain.Storage.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlAlertJournalTests(PostgresServer server) : AlertJournalTests
{
    protected override async Task<StorageSettings> CreateDatabaseAsync(string hint) =>
        new(StorageProvider.PostgreSql, await server.CreateDatabaseAsync(hint));
}
