using System.Net;
using System.Net.Http.Json;
using AgriChain.Server.Tests.Infrastructure;

namespace AgriChain.Server.Tests.Market;

[Collection(AppCollection.Name)]
public sealed class OfferEndpointTests(AppFixture fixture)
{
    private readonly MarketHttp _market = new(fixture.App, fixture.App.Admin());

    [Fact]
    public async Task CreateOffer_ReservesTheBatch_IsIdempotent_AndConflictsOnOtherTerms()
    {
        var (coop, owner) = await _market.CooperativeAsync("Xibeizhuang");
        var batch = await _market.BatchAsync(owner, coop, 1000);
        var id = Seed.NewId("offer");

        var created = await MarketHttp.JsonAsync(await owner.PostAsJsonAsync("/api/v1/offers", _market.Offer(id, coop, 800, 6.5m, batch)), HttpStatusCode.Created);
        var again = await owner.PostAsJsonAsync("/api/v1/offers", _market.Offer(id, coop, 800, 6.5m, batch));
        var other = await MarketHttp.JsonAsync(await owner.PostAsJsonAsync("/api/v1/offers", _market.Offer(id, coop, 800, 6.6m, batch)), HttpStatusCode.Conflict);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("id", other.GetProperty("field").GetString());
        Assert.Equal(("on-hand", "active", "Xibeizhuang", _market.County), (created.GetProperty("kind").GetString(),
            created.GetProperty("status").GetString(), created.GetProperty("village").GetString(), created.GetProperty("county").GetString()));
        Assert.Equal((800m, 0m, 800m), (created.GetProperty("capacityKg").GetDecimal(), created.GetProperty("allocatedKg").GetDecimal(),
            created.GetProperty("freeKg").GetDecimal()));
        var held = await MarketHttp.JsonAsync(await owner.GetAsync($"/api/v1/batches/{batch}"), HttpStatusCode.OK);
        Assert.Equal((1000m, 200m), (held.GetProperty("quantity").GetDecimal(), held.GetProperty("available").GetDecimal()));

        // The offered kilos cannot also be split off or shipped.
        var split = await owner.PostAsJsonAsync($"/api/v1/batches/{batch}/split", new { parts = new[] { new { id = Seed.NewId("part"), quantity = 300m } } });
        Assert.Equal(HttpStatusCode.Conflict, split.StatusCode);
        var more = await MarketHttp.JsonAsync(await owner.PostAsJsonAsync("/api/v1/offers", _market.Offer(Seed.NewId("offer"), coop, 300, 6.5m, batch)),
            HttpStatusCode.Conflict);
        Assert.Equal(("quantityKg", 200m), (more.GetProperty("field").GetString(), more.GetProperty("availableKg").GetDecimal()));
    }

    [Fact]
    public async Task Withdraw_ReleasesTheBatch_AndIsIdempotent()
    {
        var (coop, owner) = await _market.CooperativeAsync("Xibeizhuang");
        var batch = await _market.BatchAsync(owner, coop, 1000);
        var id = Seed.NewId("offer");
        await MarketHttp.JsonAsync(await owner.PostAsJsonAsync("/api/v1/offers", _market.Offer(id, coop, 1000, 6.5m, batch)), HttpStatusCode.Created);
        var (_, stranger) = await _market.CooperativeAsync("Houcun");

        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.DeleteAsync($"/api/v1/offers/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync($"/api/v1/offers/{id}")).StatusCode);
        var withdrawn = await MarketHttp.JsonAsync(await owner.DeleteAsync($"/api/v1/offers/{id}"), HttpStatusCode.OK);
        var again = await MarketHttp.JsonAsync(await owner.DeleteAsync($"/api/v1/offers/{id}"), HttpStatusCode.OK);

        Assert.Equal("withdrawn", withdrawn.GetProperty("status").GetString());
        Assert.Equal("withdrawn", again.GetProperty("status").GetString());
        Assert.Equal(1000, (await MarketHttp.JsonAsync(await owner.GetAsync($"/api/v1/batches/{batch}"), HttpStatusCode.OK)).GetProperty("available").GetDecimal());
        Assert.Equal(0, (await _market.SupplyAsync(owner)).GetProperty("totalKg").GetDecimal());
        Assert.Equal(HttpStatusCode.NotFound, (await owner.DeleteAsync($"/api/v1/offers/{Seed.NewId("none")}")).StatusCode);
    }

    [Fact]
    public async Task CreateOffer_NamesEveryBadField()
    {
        var (coop, owner) = await _market.CooperativeAsync("Xibeizhuang");

        var bad = await owner.PostAsJsonAsync("/api/v1/offers", new
        {
            id = "Bad Id", ownerId = coop, product = "nectarine", grade = "gold", quantityKg = 0, pricePerKg = -1,
            availableFrom = "next week", availableTo = MarketHttp.Today, batchId = "b1", greenhouseId = "gh1",
        });

        var problem = await MarketHttp.JsonAsync(bad, HttpStatusCode.BadRequest);
        Assert.Equal(["availableFrom", "grade", "greenhouseId", "id", "pricePerKg", "quantityKg"], MarketHttp.ErrorFields(problem));

        var batch = await _market.BatchAsync(owner, coop, 100, grade: "b");
        var wrong = await owner.PostAsJsonAsync("/api/v1/offers", _market.Offer(Seed.NewId("offer"), coop, 50, 6, batch, product: "persimmon", grade: "a"));
        Assert.Equal(["grade", "product"], MarketHttp.ErrorFields(await MarketHttp.JsonAsync(wrong, HttpStatusCode.BadRequest)));
        var missing = await owner.PostAsJsonAsync("/api/v1/offers", _market.Offer(Seed.NewId("offer"), coop, 50, 6, Seed.NewId("nobatch")));
        Assert.Equal(["batchId"], MarketHttp.ErrorFields(await MarketHttp.JsonAsync(missing, HttpStatusCode.BadRequest)));
    }

    [Fact]
    public async Task OnlyCooperatives_OfferOnlyTheirOwnBatchesAndGreenhouses()
    {
        var (coop, owner) = await _market.CooperativeAsync("Xibeizhuang");
        var (otherCoop, other) = await _market.CooperativeAsync("Houcun");
        var batch = await _market.BatchAsync(owner, coop, 100);
        var farm = await Seed.FarmAsync(_market.Admin, coop);
        var greenhouse = await Seed.GreenhouseAsync(_market.Admin, farm);
        var (_, buyer) = await _market.BuyerAsync();
        using var technician = fixture.App.ClientWithKey(await fixture.App.IssueKeyAsync(new { role = "technician", farmIds = new[] { farm }, label = "tech" }));

        Assert.Equal(HttpStatusCode.Forbidden, (await buyer.PostAsJsonAsync("/api/v1/offers", _market.Offer(Seed.NewId("o"), coop, 10, 6, batch))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await technician.PostAsJsonAsync("/api/v1/offers", _market.Offer(Seed.NewId("o"), coop, 10, 6, batch))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsJsonAsync("/api/v1/offers", _market.Offer(Seed.NewId("o"), coop, 10, 6, batch))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsJsonAsync("/api/v1/offers", _market.Offer(Seed.NewId("o"), otherCoop, 10, 6, batch))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsJsonAsync("/api/v1/offers",
            _market.Offer(Seed.NewId("o"), otherCoop, 10, 6, greenhouseId: greenhouse, product: "nectarine"))).StatusCode);

        // An admin may act for a cooperative, but not sell one cooperative's batch under another's name.
        var mismatch = await _market.Admin.PostAsJsonAsync("/api/v1/offers", _market.Offer(Seed.NewId("o"), otherCoop, 10, 6, batch));
        Assert.Equal(["batchId"], MarketHttp.ErrorFields(await MarketHttp.JsonAsync(mismatch, HttpStatusCode.BadRequest)));
    }

    [Fact]
    public async Task AGreenhouseOffer_SellsItsForecast_AndNoMore()
    {
        var (coop, owner) = await _market.CooperativeAsync("Xibeizhuang");
        var farm = await Seed.FarmAsync(_market.Admin, coop);
        var greenhouse = await Seed.GreenhouseAsync(_market.Admin, farm);
        var forecast = (await MarketHttp.JsonAsync(await owner.GetAsync($"/api/v1/greenhouses/{greenhouse}/yield"), HttpStatusCode.OK))
            .GetProperty("forecastKg").GetDecimal();
        Assert.True(forecast > 300, $"A new 1.2 mu nectarine greenhouse should forecast well over 300 kg, not {forecast}.");

        var tooMuch = await owner.PostAsJsonAsync("/api/v1/offers", _market.Offer(Seed.NewId("o"), coop, forecast + 1, 6, greenhouseId: greenhouse, product: "nectarine"));
        var refused = await MarketHttp.JsonAsync(tooMuch, HttpStatusCode.Conflict);
        Assert.Equal(("quantityKg", forecast), (refused.GetProperty("field").GetString(), refused.GetProperty("availableKg").GetDecimal()));

        var offer = await MarketHttp.JsonAsync(await owner.PostAsJsonAsync("/api/v1/offers",
            _market.Offer(Seed.NewId("o"), coop, forecast - 300, 6, greenhouseId: greenhouse, product: "nectarine")), HttpStatusCode.Created);
        Assert.Equal(("forecast", forecast - 300, "Xibeizhuang"), (offer.GetProperty("kind").GetString(), offer.GetProperty("capacityKg").GetDecimal(),
            offer.GetProperty("village").GetString()));
        var second = await MarketHttp.JsonAsync(await owner.PostAsJsonAsync("/api/v1/offers",
            _market.Offer(Seed.NewId("o"), coop, 301, 6, greenhouseId: greenhouse, product: "nectarine")), HttpStatusCode.Conflict);
        Assert.Equal(300, second.GetProperty("availableKg").GetDecimal());
    }
    [Fact]
    public async Task RecallingABatch_WithdrawsItsOffers_TakesBackAllocations_AndNamesTheBuyers()
    {
        var (coop, owner) = await _market.CooperativeAsync("Xibeizhuang");
        var offer = await _market.OfferBatchAsync(owner, coop, 1000, 6.0m);
        var (buyer, buyerClient) = await _market.BuyerAsync();
        var demand = await MarketHttp.JsonAsync(
            await buyerClient.PostAsJsonAsync("/api/v1/demands", _market.Demand(Seed.NewId("demand"), buyer, 300)), HttpStatusCode.Created);
        Assert.Equal(offer, Assert.Single(demand.GetProperty("matches").EnumerateArray()).GetProperty("offerId").GetString());
        var batch = (await MarketHttp.JsonAsync(await owner.GetAsync($"/api/v1/offers/{offer}"), HttpStatusCode.OK)).GetProperty("batchId").GetString();

        var impact = await MarketHttp.JsonAsync(
            await owner.PostAsJsonAsync($"/api/v1/batches/{batch}/recall", new { reason = "residue above limit" }), HttpStatusCode.OK);
        var again = await MarketHttp.JsonAsync(
            await owner.PostAsJsonAsync($"/api/v1/batches/{batch}/recall", new { reason = "residue above limit" }), HttpStatusCode.OK);

        Assert.Equal([offer], impact.GetProperty("withdrawnOffers").EnumerateArray().Select(o => o.GetString()));
        Assert.Contains(buyer, impact.GetProperty("buyers").EnumerateArray().Select(b => b.GetString()));
        Assert.Equal(impact.ToString(), again.ToString());
        var withdrawn = await MarketHttp.JsonAsync(await owner.GetAsync($"/api/v1/offers/{offer}"), HttpStatusCode.OK);
        Assert.Equal(("withdrawn", 0m, 0m), (withdrawn.GetProperty("status").GetString(), withdrawn.GetProperty("allocatedKg").GetDecimal(),
            withdrawn.GetProperty("freeKg").GetDecimal()));
        Assert.Equal(0m, (await _market.SupplyAsync(buyerClient)).GetProperty("totalKg").GetDecimal());

        // Nothing of a recalled batch can be offered again.
        await MarketHttp.JsonAsync(await owner.PostAsJsonAsync("/api/v1/offers", _market.Offer(Seed.NewId("offer"), coop, 100, 6.0m, batch)),
            HttpStatusCode.Conflict);
    }
    [Fact]
    public async Task ACooperativesOffers_AreListedNewestFirst_PageByPage_ToItAndAdminOnly()
    {
        var (coop, owner) = await _market.CooperativeAsync("Xibeizhuang");
        var (_, stranger) = await _market.CooperativeAsync("Dongzhuang");
        var (_, buyer) = await _market.BuyerAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await _market.OfferBatchAsync(owner, coop, 100 + i, 6.0m));
        }

        await MarketHttp.JsonAsync(await owner.DeleteAsync($"/api/v1/offers/{ids[0]}"), HttpStatusCode.OK);

        var first = await MarketHttp.JsonAsync(await owner.GetAsync($"/api/v1/cooperatives/{coop}/offers?limit=2"), HttpStatusCode.OK);
        Assert.Equal([ids[2], ids[1]], first.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetString()));
        var token = first.GetProperty("nextPageToken").GetString()!;
        var second = await MarketHttp.JsonAsync(
            await _market.Admin.GetAsync($"/api/v1/cooperatives/{coop}/offers?limit=2&pageToken={Uri.EscapeDataString(token)}"), HttpStatusCode.OK);
        var last = Assert.Single(second.GetProperty("items").EnumerateArray());
        Assert.Equal((ids[0], "withdrawn"), (last.GetProperty("id").GetString(), last.GetProperty("status").GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("nextPageToken").ValueKind);

        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync($"/api/v1/cooperatives/{coop}/offers")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await buyer.GetAsync($"/api/v1/cooperatives/{coop}/offers")).StatusCode);
        var badLimit = await MarketHttp.JsonAsync(await owner.GetAsync($"/api/v1/cooperatives/{coop}/offers?limit=0"), HttpStatusCode.BadRequest);
        Assert.Equal(["limit"], MarketHttp.ErrorFields(badLimit));
        var badToken = await MarketHttp.JsonAsync(await owner.GetAsync($"/api/v1/cooperatives/{coop}/offers?pageToken=nonsense"), HttpStatusCode.BadRequest);
        Assert.Equal(["pageToken"], MarketHttp.ErrorFields(badToken));
    }
}
