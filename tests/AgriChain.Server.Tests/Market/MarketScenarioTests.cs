using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgriChain.Server.Tests.Infrastructure;
using AgriChain.Server.Tests.Notifications;

namespace AgriChain.Server.Tests.Market;

/// <summary>The "done means", end to end through the HTTP API and a real webhook receiver.</summary>
[Collection(AppCollection.Name)]
public sealed class MarketScenarioTests(AppFixture fixture)
{
    private readonly MarketHttp _market = new(fixture.App, fixture.App.Admin());

    [Fact]
    public async Task ThreeVillages_CheapestFirst_TwelveRacingForTheLastTonne_CancelReturns_WatchFires()
    {
        var xibeizhuang = await _market.CooperativeAsync("Xibeizhuang");
        var houcun = await _market.CooperativeAsync("Houcun");
        var nanguan = await _market.CooperativeAsync("Nanguan");
        var (buyer, buyerClient) = await _market.BuyerAsync();
        var dear = await _market.OfferBatchAsync(nanguan.Client, nanguan.Id, 1000, 7.0m);
        var cheap = await _market.OfferBatchAsync(xibeizhuang.Client, xibeizhuang.Id, 2500, 6.0m);
        var middle = await _market.OfferBatchAsync(houcun.Client, houcun.Id, 1500, 6.5m);

        var supply = await _market.SupplyAsync(buyerClient);
        Assert.Equal((5000m, 5000m, 0m), (supply.GetProperty("totalKg").GetDecimal(), supply.GetProperty("onHandKg").GetDecimal(), supply.GetProperty("forecastKg").GetDecimal()));
        Assert.Equal([("Houcun", 1500m, 6.5m, 1), ("Nanguan", 1000m, 7.0m, 1), ("Xibeizhuang", 2500m, 6.0m, 1)],
            supply.GetProperty("byVillage").EnumerateArray().Select(v => (v.GetProperty("village").GetString()!,
                v.GetProperty("onHandKg").GetDecimal(), v.GetProperty("minPricePerKg").GetDecimal(), v.GetProperty("offers").GetInt32())));

        // 4,000 kg: all of the cheapest village, then the next cheapest; the dearest is left alone.
        var big = Seed.NewId("demand");
        var filled = await MarketHttp.JsonAsync(await buyerClient.PostAsJsonAsync("/api/v1/demands", _market.Demand(big, buyer, 4000)), HttpStatusCode.Created);
        Assert.Equal("matched", filled.GetProperty("status").GetString());
        Assert.Equal(0, filled.GetProperty("unmatchedKg").GetDecimal());
        Assert.Equal([(cheap, xibeizhuang.Id, "Xibeizhuang", 2500m, 6.0m), (middle, houcun.Id, "Houcun", 1500m, 6.5m)],
            filled.GetProperty("matches").EnumerateArray().Select(m => (m.GetProperty("offerId").GetString()!, m.GetProperty("ownerId").GetString()!,
                m.GetProperty("village").GetString()!, m.GetProperty("quantityKg").GetDecimal(), m.GetProperty("pricePerKg").GetDecimal())));

        // Twelve buyers' demands of 500 kg race for the last 1,000 kg.
        var racers = Enumerable.Range(0, 12).Select(_ => Seed.NewId("demand")).ToList();
        var answers = await Task.WhenAll(racers.Select(async id =>
            await MarketHttp.JsonAsync(await buyerClient.PostAsJsonAsync("/api/v1/demands", _market.Demand(id, buyer, 500)), HttpStatusCode.Created)));
        Assert.Equal(1000, answers.Sum(a => 500 - a.GetProperty("unmatchedKg").GetDecimal()));
        Assert.Equal(2, answers.Count(a => a.GetProperty("status").GetString() == "matched"));
        Assert.Equal(10, answers.Count(a => a.GetProperty("status").GetString() == "open"));
        Assert.All(answers.Where(a => a.GetProperty("status").GetString() == "matched"),
            a => Assert.Equal(dear, Assert.Single(a.GetProperty("matches").EnumerateArray()).GetProperty("offerId").GetString()));
        Assert.Equal(0, (await _market.SupplyAsync(buyerClient)).GetProperty("totalKg").GetDecimal());
        var offer = await MarketHttp.JsonAsync(await nanguan.Client.GetAsync($"/api/v1/offers/{dear}"), HttpStatusCode.OK);
        Assert.Equal((1000m, 0m), (offer.GetProperty("allocatedKg").GetDecimal(), offer.GetProperty("freeKg").GetDecimal()));

        // Cancelling gives the kilos back to supply.
        var winner = racers[Array.FindIndex(answers, a => a.GetProperty("status").GetString() == "matched")];
        var cancelled = await MarketHttp.JsonAsync(await buyerClient.PostAsync($"/api/v1/demands/{winner}/cancel", null), HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        var afterOne = await _market.SupplyAsync(buyerClient);
        Assert.Equal(500, afterOne.GetProperty("totalKg").GetDecimal());
        Assert.Equal("Nanguan", Assert.Single(afterOne.GetProperty("byVillage").EnumerateArray()).GetProperty("village").GetString());
        await MarketHttp.JsonAsync(await buyerClient.PostAsync($"/api/v1/demands/{big}/cancel", null), HttpStatusCode.OK);
        Assert.Equal(4500, (await _market.SupplyAsync(buyerClient)).GetProperty("totalKg").GetDecimal());

        // A watch for 5,000 kg fires when a qualifying new offer brings supply there, at the buyer's webhook.
        await using var receiver = await KestrelReceiver.StartAsync(_ => 200);
        var hook = await buyerClient.PutAsJsonAsync($"/api/v1/buyers/{buyer}/webhooks/market",
            new { url = receiver.Url("market"), secret = "whsec-market-0123456789" });
        Assert.Equal(HttpStatusCode.Created, hook.StatusCode);
        var watch = await MarketHttp.JsonAsync(await buyerClient.PostAsJsonAsync($"/api/v1/buyers/{buyer}/watches",
            new { id = "wenxi-5t", product = _market.Product, grade = "a", minQuantityKg = 5000, county = _market.County, excludeColdEvents = true }),
            HttpStatusCode.Created);
        Assert.Equal((4500m, false, 0), (watch.GetProperty("availableKg").GetDecimal(), watch.GetProperty("satisfied").GetBoolean(),
            watch.GetProperty("notifications").GetInt32()));

        await _market.OfferBatchAsync(houcun.Client, houcun.Id, 1000, 6.8m);

        var delivery = await receiver.NextAsync(MarketHttp.Deadline);
        Assert.Equal("supply.available", delivery.Headers["X-AgriChain-Event"]);
        using var body = JsonDocument.Parse(delivery.Body);
        var data = body.RootElement.GetProperty("data");
        Assert.Equal(("wenxi-5t", buyer, 5500m), (data.GetProperty("watchId").GetString(), data.GetProperty("buyerId").GetString(),
            data.GetProperty("availableKg").GetDecimal()));
        var fired = await MarketHttp.JsonAsync(await buyerClient.GetAsync($"/api/v1/buyers/{buyer}/watches/wenxi-5t"), HttpStatusCode.OK);
        Assert.Equal((true, 1), (fired.GetProperty("satisfied").GetBoolean(), fired.GetProperty("notifications").GetInt32()));
    }
}
