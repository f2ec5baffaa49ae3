using AgriChain.Storage.Greenhouses;

namespace AgriChain.Storage.Tests.Infrastructure;

/// <summary>A database with the schema applied and the project's stores on it; disposes the stores first, as the host does.</summary>
public sealed class StoreHarness : IAsyncDisposable
{
    private StoreHarness(AgriChainDatabase database, ReadingStoreOptions? options)
    {
        Database = database;
        Readings = new ReadingStore(database, options);
        Alerts = new AlertJournal(database);
    }

    public AgriChainDatabase Database { get; }

    public ReadingStore Readings { get; }

    public AlertJournal Alerts { get; }

    public static async Task<StoreHarness> OpenAsync(StorageSettings settings, ReadingStoreOptions? options = null)
    {
        var database = new AgriChainDatabase(settings.ToOptions());
        try
        {
            await database.ApplySchemaAsync(CancellationToken.None);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }

        return new StoreHarness(database, options);
    }

    public async ValueTask DisposeAsync()
    {
        await Readings.DisposeAsync();
        await Database.DisposeAsync();
    }
}
