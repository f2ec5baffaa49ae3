using AgriChain.Storage.Tests.Infrastructure;

namespace AgriChain.Storage.Tests;

public sealed class SqliteGrainStateRoundTripTests(StorageTestContext context)
    : GrainStateRoundTripTests(context), IClassFixture<StorageTestContext>
{
    protected override Task<StorageSettings> CreateDatabaseAsync(string hint) =>
        Task.FromResult(new StorageSettings(
            StorageProvider.Sqlite,
            $"Data Source={Path.Combine(Context.TempFolder, $"{hint}-{Guid.NewGuid():N}.db")}"));
}
