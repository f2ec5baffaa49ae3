using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgriChain.Server.Tests.Infrastructure;
using static AgriChain.Server.Tests.Processing.ProcessingSeed;

namespace AgriChain.Server.Tests.Processing;

/// <summary>
/// Issue 6, done: 900 kg from two persimmon batches become a 450 L wine lot through every step in order; a
/// fermentation 8 °C over its maximum shows as a deviation and a hold; the lot's trace reaches the orchard; recalling
/// one persimmon batch recalls the wine.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class PersimmonWineScenarioTests(AppFixture fixture)
{
    private readonly HttpClient _admin = fixture.App.Admin();

    [Fact]
    public async Task NineHundredKgOfPersimmons_BecomeA450LWineLot_TracedToTheOrchard_AndRecalledWithItsFruit()
    {
        var orchard = await OrchardAsync(fixture.App, _admin);
        var owner = orchard.Owner;
        var east = await PersimmonsAsync(owner, orchard, 500m);
        var west = await PersimmonsAsync(owner, orchard, 400m);
        var buyer = await Seed.BuyerAsync(_admin);

        // Start: both batches go into the run.
        var run = await StartedRunAsync(orchard, (east, 500m), (west, 400m));
        foreach (var batch in new[] { east, west })
        {
            Assert.Equal("consumed", (await owner.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{batch}")).GetProperty("status").GetString());
        }

        // Every step in order; the main fermentation ran at 36 °C, 8 °C over its 28 °C maximum.
        var steps = Steps(fermentationC: 36m);
        for (var i = 0; i < steps.Count; i++)
        {
            var answer = await RecordAsync(owner, run, i, steps[i].Step, steps[i].Parameters);
            var deviations = answer.GetProperty("deviations").EnumerateArray().ToList();
            if (steps[i].Step != "main-fermentation")
            {
                Assert.Empty(deviations);
                continue;
            }

            var deviation = Assert.Single(deviations);
            Assert.Equal(("main-fermentation", "temperatureC", 36m, 28m, "above", 8m),
                (deviation.GetProperty("step").GetString(), deviation.GetProperty("parameter").GetString(), deviation.GetProperty("value").GetDecimal(),
                 deviation.GetProperty("max").GetDecimal(), deviation.GetProperty("direction").GetString(), deviation.GetProperty("by").GetDecimal()));
            Assert.True(answer.GetProperty("onHold").GetBoolean());
        }

        var inProgress = await owner.GetFromJsonAsync<JsonElement>($"/api/v1/processing-runs/{run}");
        Assert.Equal(("in-progress", true, 12), (inProgress.GetProperty("status").GetString(), inProgress.GetProperty("onHold").GetBoolean(),
            inProgress.GetProperty("steps").GetArrayLength()));
        Assert.Equal("temperatureC", Assert.Single(inProgress.GetProperty("deviations").EnumerateArray()).GetProperty("parameter").GetString());
        Assert.Empty(inProgress.GetProperty("missingSteps").EnumerateArray());
        foreach (var batch in new[] { east, west })
        {
            var events = (await owner.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{batch}")).GetProperty("events").EnumerateArray();
            Assert.Contains("temperatureC 36 °C is 8 above the maximum 28",
                Assert.Single(events, e => e.GetProperty("type").GetString() == "deviation").GetProperty("note").GetString(), StringComparison.Ordinal);
        }

        // Completion: a 450 L lot made from both batches, on hold because of the deviation.
        var wine = Seed.NewId("wine");
        var completed = await owner.PostAsJsonAsync($"/api/v1/processing-runs/{run}/complete", WineOutput(wine, 450m));
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        var done = await completed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("completed", 900m, 0.5m, 0.5m, false), (done.GetProperty("status").GetString(), done.GetProperty("inputKg").GetDecimal(),
            done.GetProperty("yieldRatio").GetDecimal(), done.GetProperty("expectedYieldPerKg").GetDecimal(), done.GetProperty("yieldFlagged").GetBoolean()));
        var lot = await owner.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{wine}");
        Assert.Equal(("persimmon-wine", 450m, "L", "on-hold"), (lot.GetProperty("product").GetString(), lot.GetProperty("quantity").GetDecimal(),
            lot.GetProperty("unit").GetString(), lot.GetProperty("status").GetString()));
        Assert.Equal(new[] { (east, "transform"), (west, "transform") }.Order(),
            lot.GetProperty("parents").EnumerateArray().Select(p => (p.GetProperty("batchId").GetString()!, p.GetProperty("kind").GetString()!)).Order());
        var ship = new { id = "ship-1", type = "shipped", at = Iso(DateTimeOffset.UtcNow), buyerId = buyer, quantity = 100m };
        Assert.Equal(HttpStatusCode.Conflict, (await owner.PostAsJsonAsync($"/api/v1/batches/{wine}/events", ship)).StatusCode);

        // A cooperative user releases the lot with a reason; then it can ship.
        var released = await owner.PostAsJsonAsync($"/api/v1/processing-runs/{run}/release", new { reason = "Lab analysis 2026-031: volatile acidity within limits" });
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        var hold = Assert.Single((await released.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("holds").EnumerateArray());
        Assert.Equal("Lab analysis 2026-031: volatile acidity within limits", hold.GetProperty("releaseReason").GetString());
        Assert.Equal("active", (await owner.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{wine}")).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Created, (await owner.PostAsJsonAsync($"/api/v1/batches/{wine}/events", ship)).StatusCode);

        // Upstream, the lot reaches both orchard batches and their farm.
        var up = await owner.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{wine}/trace?direction=upstream");
        Assert.Equal(new HashSet<string?> { wine, east, west }, up.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("batchId").GetString()).ToHashSet());
        Assert.Equal(new HashSet<(string?, string?, string?)> { (east, wine, "transform"), (west, wine, "transform") },
            up.GetProperty("edges").EnumerateArray().Select(e => (e.GetProperty("from").GetString(), e.GetProperty("to").GetString(), e.GetProperty("kind").GetString())).ToHashSet());
        var origins = up.GetProperty("origins").EnumerateArray().ToList();
        Assert.Equal(new HashSet<string?> { east, west }, origins.Select(o => o.GetProperty("batchId").GetString()).ToHashSet());
        Assert.All(origins, o => Assert.Equal(orchard.Farm, o.GetProperty("farmId").GetString()));
        var page = await fixture.App.ClientWithKey(null).GetStringAsync($"/trace/{wine}");
        Assert.Contains(OrchardName, page, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/trace/{east}\">persimmon</a>", page, StringComparison.Ordinal);
        Assert.Contains("Processing</span>：persimmon-wine", page, StringComparison.Ordinal);
        Assert.Contains(" — main-fermentation</li>", page, StringComparison.Ordinal);
        var withoutCodes = page.Replace(wine, "", StringComparison.Ordinal).Replace(east, "", StringComparison.Ordinal).Replace(west, "", StringComparison.Ordinal);
        Assert.DoesNotContain("450", withoutCodes, StringComparison.Ordinal);

        // Downstream, a persimmon batch reaches the wine lot and the buyer it was shipped to.
        var down = await owner.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{east}/trace?direction=downstream");
        Assert.Contains(wine, down.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("batchId").GetString()));
        var shipment = Assert.Single(down.GetProperty("shipments").EnumerateArray());
        Assert.Equal((wine, buyer), (shipment.GetProperty("batchId").GetString(), shipment.GetProperty("buyerId").GetString()));

        // Recalling one persimmon batch recalls the wine, and names the buyer.
        var recall = await owner.PostAsJsonAsync($"/api/v1/batches/{west}/recall", new { reason = "Residue above limit in orchard sample 2026-12" });
        Assert.Equal(HttpStatusCode.OK, recall.StatusCode);
        var impact = await recall.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(new[] { west, wine }.Order(StringComparer.Ordinal), impact.GetProperty("batches").EnumerateArray().Select(b => b.GetString()));
        Assert.Equal([buyer], impact.GetProperty("buyers").EnumerateArray().Select(b => b.GetString()));
        Assert.Equal(450m, impact.GetProperty("quantityByUnit").GetProperty("L").GetDecimal());
        Assert.Equal("recalled", (await owner.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{wine}")).GetProperty("status").GetString());
        Assert.Equal("consumed", (await owner.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{east}")).GetProperty("status").GetString());
        Assert.Contains("本产品已召回", await fixture.App.ClientWithKey(null).GetStringAsync($"/trace/{wine}"), StringComparison.Ordinal);
    }
}
