using AgriChain.Contracts.Market;
using AgriChain.Storage.Market;
using AgriChain.Storage.Tests.Infrastructure;

namespace AgriChain.Storage.Tests.Market;

/// <summary>Who owns which offers and demands, checked on each database; every test has a database of its own.</summary>
public abstract class MarketListingStoreTests
{
    private static readonly DateTimeOffset Morning = new(2026, 5, 18, 7, 30, 0, TimeSpan.FromHours(8));

    /// <summary>Creates an empty database and returns the "Storage" settings that reach it.</summary>
    protected abstract Task<StorageSettings> CreateDatabaseAsync(string hint);

    [Fact]
    public async Task Items_AreListedNewestFirst_PageByPage_PerOwnerAndKind()
    {
        await using var harness = await StoreHarness.OpenAsync(await CreateDatabaseAsync("listing"));
        var listings = new MarketListingStore(harness.Database);
        await listings.AddAsync(MarketListingKind.Offer, "coop-a", "offer-1", Morning);
        await listings.AddAsync(MarketListingKind.Offer, "coop-a", "offer-3", Morning.AddMinutes(5));
        await listings.AddAsync(MarketListingKind.Offer, "coop-a", "offer-2", Morning.AddMinutes(5));
        await listings.AddAsync(MarketListingKind.Offer, "coop-a", "offer-0", Morning.AddMinutes(9).AddTicks(3));
        await listings.AddAsync(MarketListingKind.Offer, "coop-b", "offer-9", Morning.AddMinutes(20));
        await listings.AddAsync(MarketListingKind.Demand, "coop-a", "demand-1", Morning.AddMinutes(30));
        // Listed again (a retried creation): nothing changes, not even its place.
        await listings.AddAsync(MarketListingKind.Offer, "coop-a", "offer-1", Morning.AddHours(1));

        var first = await listings.ListAsync(MarketListingKind.Offer, "coop-a", null, 3);
        Assert.Equal(["offer-0", "offer-3", "offer-2"], first.Ids);
        Assert.NotNull(first.NextPageToken);
        var second = await listings.ListAsync(MarketListingKind.Offer, "coop-a", first.NextPageToken, 3);
        Assert.Equal(["offer-1"], second.Ids);
        Assert.Null(second.NextPageToken);

        Assert.Equal(["offer-9"], (await listings.ListAsync(MarketListingKind.Offer, "coop-b", null, 10)).Ids);
        Assert.Equal(["demand-1"], (await listings.ListAsync(MarketListingKind.Demand, "coop-a", null, 10)).Ids);
        Assert.Empty((await listings.ListAsync(MarketListingKind.Demand, "nobody", null, 10)).Ids);
        Assert.Null((await listings.ListAsync(MarketListingKind.Offer, "coop-a", null, 4)).NextPageToken);
    }

    [Fact]
    public async Task APageTokenNotIssuedHere_IsRefused()
    {
        await using var harness = await StoreHarness.OpenAsync(await CreateDatabaseAsync("tokens"));
        var listings = new MarketListingStore(harness.Database);

        await Assert.ThrowsAsync<ArgumentException>(() => listings.ListAsync(MarketListingKind.Offer, "coop-a", "not-a-token", 10));
    }
}

public sealed class SqliteMarketListingStoreTests : MarketListingStoreTests, IDisposable
{
    private readonly SqliteFiles _files = new("listing");

    public void Dispose() => _files.Dispose();

    protected override Task<StorageSettings> CreateDatabaseAsync(string hint) => _files.SettingsAsync(hint);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlMarketListingStoreTests(PostgresServer server) : MarketListingStoreTests
{
    protected override async Task<StorageSettings> CreateDatabaseAsync(string hint) =>
        new(StorageProvider.PostgreSql, await server.CreateDatabaseAsync(hint));
}
