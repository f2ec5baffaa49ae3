using AgriChain.Contracts.Market;
using AgriChain.Contracts.Traceability;
using AgriChain.Domain.Common;
using AgriChain.Domain.Market;
using AgriChain.Domain.MasterData;
using AgriChain.Domain.Traceability;

namespace AgriChain.Grains.Tests.Market;

/// <summary>A private corner of the market per test: its own product and county, so partitions never overlap.</summary>
internal sealed class MarketWorld(ClusterFixture fixture, string? product = null)
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public string Product { get; } = product ?? NewId("nect");

    public string County { get; } = NewId("county");

    public string Owner { get; } = NewId("coop");

    public IGrainFactory Grains => fixture.Grains;

    public static DateTimeOffset Now => ClusterFixture.Clock.GetUtcNow();

    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..30];

    public Region Village(string name) => new(name, "Dongzhen", County);

    public async Task<string> BatchAsync(decimal kg)
    {
        var id = NewId("batch");
        var created = await Grains.GetGrain<IBatchGrain>(id).CreateAsync(new BatchSpec(Product, kg, "kg", "a", Owner, null), "test");
        Assert.Equal(UpsertOutcome.Created, created.Outcome);
        return id;
    }

    public OfferTerms Terms(decimal kg, decimal price, string? batchId = null, string? greenhouseId = null) =>
        new(Owner, Product, "a", kg, price, Now.AddDays(-1), Now.AddDays(60), batchId, greenhouseId);

    public async Task<string> OfferAsync(decimal kg, decimal price, string village = "Xibeizhuang")
    {
        var batch = await BatchAsync(kg);
        var id = NewId("offer");
        var result = await Offer(id).OpenAsync(new OfferOpening(Terms(kg, price, batch), Village(village), false, kg, "test"));
        Assert.Equal(OfferOutcome.Created, result.Outcome);
        return id;
    }

    public DemandTerms Demand(decimal kg, decimal maxPrice = 100, string buyer = "buyer-test") =>
        new(buyer, Product, "a", kg, maxPrice, Now.AddDays(30), County, null);

    public IOfferGrain Offer(string id) => Grains.GetGrain<IOfferGrain>(id);

    public IDemandGrain DemandGrain(string id) => Grains.GetGrain<IDemandGrain>(id);

    public ISupplyIndexGrain Index => Grains.GetGrain<ISupplyIndexGrain>(MarketKeys.SupplyPartition(Product, County));

    public async Task<decimal> FreeInIndexAsync() =>
        (await Index.QueryAsync(new SupplyFilter(Product))).Sum(v => v.TotalKg);

    /// <summary>Polls until <paramref name="condition"/> holds, failing with <paramref name="expected"/> after the deadline.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string expected)
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"Expected {expected} within {Deadline.TotalSeconds} s; last seen: {System.Text.Json.JsonSerializer.Serialize(value)}");
            }

            await Task.Delay(20);
        }
    }
}
