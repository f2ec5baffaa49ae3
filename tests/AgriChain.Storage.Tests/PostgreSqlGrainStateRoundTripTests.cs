using AgriChain.Storage.Tests.Infrastructure;

namespace AgriChain.Storage.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlGrainStateRoundTripTests(PostgresServer server, StorageTestContext context)
    : GrainStateRoundTripTests(context), IClassFixture<StorageTestContext>
{
    protected override async Task<StorageSettings> CreateDatabaseAsync(string hint) =>
        new(StorageProvider.PostgreSql, await server.CreateDatabaseAsync(hint));
}
