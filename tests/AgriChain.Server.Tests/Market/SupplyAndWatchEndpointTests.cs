using System.Net;
using System.Net.Http.Json;
using AgriChain.Server.Tests.Infrastructure;

namespace AgriChain.Server.Tests.Market;

[Collection(AppCollection.Name)]
public sealed class SupplyAndWatchEndpointTests(AppFixture fixture)
{
    private readonly MarketHttp _market = new(fixture.App, fixture.App.Admin());

    [Fact]
    public async Task Supply_IsForBuyersCooperativesAndAdmins_AndNeedsAProduct()
    {
        var (coop, owner) = await _market.CooperativeAsync("Xibeizhuang");
        var farm = await Seed.FarmAsync(_market.Admin, coop);
        using var technician = fixture.App.ClientWithKey(await fixture.App.IssueKeyAsync(new { role = "technician", farmIds = new[] { farm }, label = "tech" }));
        var (_, buyer) = await _market.BuyerAsync();
        await _market.OfferBatchAsync(owner, coop, 700, 6);

        Assert.Equal(HttpStatusCode.Forbidden, (await technician.GetAsync($"/api/v1/supply?product={_market.Product}")).StatusCode);
        var bad = await buyer.GetAsync("/api/v1/supply?grade=best&availableBy=soon");
        Assert.Equal(["availableBy", "grade", "product"], MarketHttp.ErrorFields(await MarketHttp.JsonAsync(bad, HttpStatusCode.BadRequest)));

        // Without a county the question goes to every county that has the product.
        var everywhere = await MarketHttp.JsonAsync(await buyer.GetAsync($"/api/v1/supply?product={_market.Product}"), HttpStatusCode.OK);
        Assert.Equal((_market.Product, 700m), (everywhere.GetProperty("product").GetString(), everywhere.GetProperty("totalKg").GetDecimal()));
        var village = await MarketHttp.JsonAsync(await owner.GetAsync($"/api/v1/supply?product={_market.Product}&village=Houcun"), HttpStatusCode.OK);
        Assert.Equal(0, village.GetProperty("totalKg").GetDecimal());
        Assert.Empty(village.GetProperty("byVillage").EnumerateArray());
    }

    [Fact]
    public async Task Watches_BelongToTheirBuyer_AndNameBadFields()
    {
        var (buyer, client) = await _market.BuyerAsync();
        var (otherBuyer, _) = await _market.BuyerAsync();
        var (_, cooperative) = await _market.CooperativeAsync("Xibeizhuang");
        var body = new { id = "w1", product = _market.Product, grade = "a", minQuantityKg = 500, township = "Dongzhen" };

        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync($"/api/v1/buyers/{otherBuyer}/watches", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await cooperative.PostAsJsonAsync($"/api/v1/buyers/{buyer}/watches", body)).StatusCode);
        var bad = await client.PostAsJsonAsync($"/api/v1/buyers/{buyer}/watches", new { id = "W 1", grade = "z", minQuantityKg = 0 });
        Assert.Equal(["grade", "id", "minQuantityKg", "product"], MarketHttp.ErrorFields(await MarketHttp.JsonAsync(bad, HttpStatusCode.BadRequest)));

        var created = await MarketHttp.JsonAsync(await client.PostAsJsonAsync($"/api/v1/buyers/{buyer}/watches", body), HttpStatusCode.Created);
        Assert.Equal(("w1", buyer, "Dongzhen", false), (created.GetProperty("id").GetString(), created.GetProperty("buyerId").GetString(),
            created.GetProperty("township").GetString(), created.GetProperty("excludeColdEvents").GetBoolean()));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/v1/buyers/{buyer}/watches", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync($"/api/v1/buyers/{buyer}/watches", body with { minQuantityKg = 600 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/buyers/{buyer}/watches/w1")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/buyers/{buyer}/watches/w1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/buyers/{buyer}/watches/w1")).StatusCode);
    }
    [Fact]
    public async Task ABuyersWatches_AreListedNewestFirst_WithoutTheDeletedOnes()
    {
        var (buyer, client) = await _market.BuyerAsync();
        var (_, otherBuyer) = await _market.BuyerAsync();
        foreach (var id in new[] { "early", "kept", "dropped" })
        {
            await MarketHttp.JsonAsync(await client.PostAsJsonAsync($"/api/v1/buyers/{buyer}/watches",
                new { id, product = _market.Product, grade = "a", minQuantityKg = 500, county = _market.County }), HttpStatusCode.Created);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/buyers/{buyer}/watches/dropped")).StatusCode);

        var page = await MarketHttp.JsonAsync(await client.GetAsync($"/api/v1/buyers/{buyer}/watches"), HttpStatusCode.OK);
        Assert.Equal(["kept", "early"], page.GetProperty("items").EnumerateArray().Select(w => w.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await otherBuyer.GetAsync($"/api/v1/buyers/{buyer}/watches")).StatusCode);
    }
}
