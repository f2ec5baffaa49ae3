using System.Net;
using System.Net.Http.Json;
using AgriChain.Server.Tests.Infrastructure;

namespace AgriChain.Server.Tests.Market;

[Collection(AppCollection.Name)]
public sealed class DemandEndpointTests(AppFixture fixture)
{
    private readonly MarketHttp _market = new(fixture.App, fixture.App.Admin());

    [Fact]
    public async Task SubmitDemand_AnswersTheContract_IsIdempotent_AndConflictsOnOtherTerms()
    {
        var (coop, owner) = await _market.CooperativeAsync("Xibeizhuang");
        var offer = await _market.OfferBatchAsync(owner, coop, 600, 6.2m);
        var (buyer, client) = await _market.BuyerAsync();
        var id = Seed.NewId("demand");

        var created = await MarketHttp.JsonAsync(await client.PostAsJsonAsync("/api/v1/demands", _market.Demand(id, buyer, 1000)), HttpStatusCode.Created);
        var again = await MarketHttp.JsonAsync(await client.PostAsJsonAsync("/api/v1/demands", _market.Demand(id, buyer, 1000)), HttpStatusCode.OK);
        await MarketHttp.JsonAsync(await client.PostAsJsonAsync("/api/v1/demands", _market.Demand(id, buyer, 900)), HttpStatusCode.Conflict);

        Assert.Equal((id, "partially-matched", 400m), (created.GetProperty("id").GetString(), created.GetProperty("status").GetString(),
            created.GetProperty("unmatchedKg").GetDecimal()));
        var match = Assert.Single(created.GetProperty("matches").EnumerateArray());
        Assert.Equal((offer, coop, "Xibeizhuang", 600m, 6.2m), (match.GetProperty("offerId").GetString(), match.GetProperty("ownerId").GetString(),
            match.GetProperty("village").GetString(), match.GetProperty("quantityKg").GetDecimal(), match.GetProperty("pricePerKg").GetDecimal()));
        Assert.Equal(created.GetProperty("matches").ToString(), again.GetProperty("matches").ToString());
        var read = await MarketHttp.JsonAsync(await client.GetAsync($"/api/v1/demands/{id}"), HttpStatusCode.OK);
        Assert.Equal("partially-matched", read.GetProperty("status").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, read.GetProperty("lastAdjustment").ValueKind);
    }

    [Fact]
    public async Task ABuyer_ActsOnlyForItself()
    {
        var (buyer, client) = await _market.BuyerAsync();
        var (otherBuyer, other) = await _market.BuyerAsync();
        var (_, cooperative) = await _market.CooperativeAsync("Xibeizhuang");
        var id = Seed.NewId("demand");
        await MarketHttp.JsonAsync(await client.PostAsJsonAsync("/api/v1/demands", _market.Demand(id, buyer, 100)), HttpStatusCode.Created);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/v1/demands", _market.Demand(Seed.NewId("d"), otherBuyer, 100))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await cooperative.PostAsJsonAsync("/api/v1/demands", _market.Demand(Seed.NewId("d"), buyer, 100))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync($"/api/v1/demands/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsync($"/api/v1/demands/{id}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await cooperative.GetAsync($"/api/v1/demands/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/demands/{Seed.NewId("none")}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.App.ClientWithKey(null).GetAsync($"/api/v1/demands/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _market.Admin.GetAsync($"/api/v1/demands/{id}")).StatusCode);
    }

    [Fact]
    public async Task SubmitDemand_NamesEveryBadField()
    {
        var (buyer, client) = await _market.BuyerAsync();

        var bad = await client.PostAsJsonAsync("/api/v1/demands", new
        {
            id = "", buyerId = buyer, product = "Nectarine!", grade = "x", quantityKg = -5, maxPricePerKg = 0, deliverBy = "2020-01-01",
        });

        Assert.Equal(["deliverBy", "grade", "id", "maxPricePerKg", "product", "quantityKg"],
            MarketHttp.ErrorFields(await MarketHttp.JsonAsync(bad, HttpStatusCode.BadRequest)));
        var unknown = await _market.Admin.PostAsJsonAsync("/api/v1/demands", _market.Demand(Seed.NewId("d"), Seed.NewId("nobody"), 100));
        Assert.Equal(["buyerId"], MarketHttp.ErrorFields(await MarketHttp.JsonAsync(unknown, HttpStatusCode.BadRequest)));
    }
    [Fact]
    public async Task ABuyersDemands_AreListedNewestFirst_ToItAndAdminOnly()
    {
        var (coop, owner) = await _market.CooperativeAsync("Xibeizhuang");
        await _market.OfferBatchAsync(owner, coop, 1000, 6.0m);
        var (buyer, client) = await _market.BuyerAsync();
        var (_, otherBuyer) = await _market.BuyerAsync();
        var older = Seed.NewId("demand");
        var newer = Seed.NewId("demand");
        await MarketHttp.JsonAsync(await client.PostAsJsonAsync("/api/v1/demands", _market.Demand(older, buyer, 200)), HttpStatusCode.Created);
        await MarketHttp.JsonAsync(await client.PostAsJsonAsync("/api/v1/demands", _market.Demand(newer, buyer, 300)), HttpStatusCode.Created);

        var page = await MarketHttp.JsonAsync(await client.GetAsync($"/api/v1/buyers/{buyer}/demands"), HttpStatusCode.OK);
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([newer, older], items.Select(d => d.GetProperty("id").GetString()));
        Assert.Equal(300m, items[0].GetProperty("matches")[0].GetProperty("quantityKg").GetDecimal());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, page.GetProperty("nextPageToken").ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await _market.Admin.GetAsync($"/api/v1/buyers/{buyer}/demands?limit=1")).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await otherBuyer.GetAsync($"/api/v1/buyers/{buyer}/demands")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.GetAsync($"/api/v1/buyers/{buyer}/demands")).StatusCode);
    }
}
