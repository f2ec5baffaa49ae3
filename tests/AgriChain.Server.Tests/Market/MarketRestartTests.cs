using System.Net;
using System.Net.Http.Json;
using AgriChain.Server.Tests.Infrastructure;

namespace AgriChain.Server.Tests.Market;

/// <summary>An answered demand, its offer's allocations and the supply index are on disk: a new host sees them.</summary>
public sealed class MarketRestartTests
{
    [Fact]
    public async Task AnAnsweredDemand_SurvivesARestart_AndCanStillBeCancelled()
    {
        var first = new AgriChainAppFactory();
        var directory = first.DataDirectory;
        try
        {
            string demand, offer, buyerKey;
            MarketHttp market;
            using (var admin = first.Admin())
            {
                market = new MarketHttp(first, admin);
                var (coop, owner) = await market.CooperativeAsync("Xibeizhuang");
                offer = await market.OfferBatchAsync(owner, coop, 1000, 6);
                var buyer = await Seed.BuyerAsync(admin);
                buyerKey = await first.IssueKeyAsync(new { role = "buyer", buyerId = buyer, label = "buyer" });
                using var client = first.ClientWithKey(buyerKey);
                demand = Seed.NewId("demand");
                await MarketHttp.JsonAsync(await client.PostAsJsonAsync("/api/v1/demands", market.Demand(demand, buyer, 600)), HttpStatusCode.Created);
            }

            await first.DisposeAsync();

            await using var second = new AgriChainAppFactory(directory);
            using var again = second.ClientWithKey(buyerKey);
            var read = await MarketHttp.JsonAsync(await again.GetAsync($"/api/v1/demands/{demand}"), HttpStatusCode.OK);
            Assert.Equal("matched", read.GetProperty("status").GetString());
            var match = Assert.Single(read.GetProperty("matches").EnumerateArray());
            Assert.Equal((offer, 600m), (match.GetProperty("offerId").GetString(), match.GetProperty("quantityKg").GetDecimal()));
            Assert.Equal(400, (await market.SupplyAsync(again)).GetProperty("totalKg").GetDecimal());

            await MarketHttp.JsonAsync(await again.PostAsync($"/api/v1/demands/{demand}/cancel", null), HttpStatusCode.OK);
            Assert.Equal(1000, (await market.SupplyAsync(again)).GetProperty("totalKg").GetDecimal());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
