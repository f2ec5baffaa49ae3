using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgriChain.Server.Tests.Infrastructure;

namespace AgriChain.Server.Tests.Yields;

[Collection(AppCollection.Name)]
public sealed class YieldEndpointTests(AppFixture fixture)
{
    private readonly HttpClient _admin = fixture.App.Admin();

    private static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static int ThisSeason => TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).Year;

    private async Task<(string Coop, string Farm, string Greenhouse)> GreenhouseAsync(string village, decimal areaMu, string stage = "harvest", int sinceDaysAgo = 1)
    {
        var coop = await Seed.CooperativeAsync(_admin);
        var farm = Seed.NewId("farm");
        Assert.Equal(HttpStatusCode.Created, (await _admin.PutAsJsonAsync($"/api/v1/farms/{farm}",
            new { name = "Park", cooperativeId = coop, village, township = "Dongzhen", county = "Wenxi", kind = "greenhouse" })).StatusCode);
        var gh = Seed.NewId("gh");
        Assert.Equal(HttpStatusCode.Created, (await _admin.PutAsJsonAsync($"/api/v1/greenhouses/{gh}", Seed.Greenhouse(farm, areaMu))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _admin.PutAsJsonAsync($"/api/v1/greenhouses/{gh}/stage",
            new { stage, since = Iso(DateTimeOffset.UtcNow.AddDays(-sinceDaysAgo)) })).StatusCode);
        return (coop, farm, gh);
    }

    private static object Harvest(string id, decimal kg, string batchId, DateTimeOffset? at = null) =>
        new { id, at = Iso(at ?? DateTimeOffset.UtcNow.AddHours(-1)), quantityKg = kg, grade = "a", batchId };

    [Fact]
    public async Task TwoHarvestsOnTwoAndAHalfMu_Make1500KgPerMu_AndTheRollupsAgree()
    {
        var village = Seed.NewId("village");
        var (coop, farm, gh) = await GreenhouseAsync(village, 2.5m);
        var (b1, b2) = (Seed.NewId("b"), Seed.NewId("b"));

        var first = await _admin.PostAsJsonAsync($"/api/v1/greenhouses/{gh}/harvests", Harvest("h1", 2000, b1));
        var second = await _admin.PostAsJsonAsync($"/api/v1/greenhouses/{gh}/harvests", Harvest("h2", 1750, b2));
        var repeated = await _admin.PostAsJsonAsync($"/api/v1/greenhouses/{gh}/harvests", Harvest("h2", 1750, b2));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);

        var yield = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/greenhouses/{gh}/yield?season={ThisSeason}");
        Assert.Equal(3750, yield.GetProperty("harvestedKg").GetDecimal());
        Assert.Equal(1500, yield.GetProperty("kgPerMu").GetDecimal());
        Assert.Equal(1500, yield.GetProperty("targetKgPerMu").GetDecimal());
        Assert.Equal(2.5m, yield.GetProperty("areaMu").GetDecimal());

        var farmYield = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/farms/{farm}/yield?season={ThisSeason}");
        var villageYield = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/yields?season={ThisSeason}&village={village}");
        foreach (var rollup in new[] { farmYield, villageYield })
        {
            Assert.Equal(3750, rollup.GetProperty("harvestedKg").GetDecimal());
            Assert.Equal(2.5m, rollup.GetProperty("areaMu").GetDecimal());
            Assert.Equal(1500, rollup.GetProperty("kgPerMu").GetDecimal());
            Assert.Equal(1, rollup.GetProperty("greenhouses").GetInt32());
        }

        var batch = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{b1}");
        Assert.Equal("nectarine", batch.GetProperty("product").GetString());
        Assert.Equal(2000, batch.GetProperty("quantity").GetDecimal());
        Assert.Equal(coop, batch.GetProperty("ownerId").GetString());
        Assert.Equal(gh, batch.GetProperty("origin").GetProperty("greenhouseId").GetString());
        Assert.Equal(farm, batch.GetProperty("origin").GetProperty("farmId").GetString());
    }

    [Fact]
    public async Task RollupsAcrossTwoVillages_SumTheirCountyAndKeepVillagesApart()
    {
        var county = Seed.NewId("county");
        var (va, vb) = (Seed.NewId("va"), Seed.NewId("vb"));
        var ghs = new List<string>();
        foreach (var village in new[] { va, vb })
        {
            var coop = await Seed.CooperativeAsync(_admin);
            var farm = Seed.NewId("farm");
            await _admin.PutAsJsonAsync($"/api/v1/farms/{farm}", new { name = "Park", cooperativeId = coop, village, township = "T", county, kind = "greenhouse" });
            var gh = Seed.NewId("gh");
            await _admin.PutAsJsonAsync($"/api/v1/greenhouses/{gh}", Seed.Greenhouse(farm, 2m));
            ghs.Add(gh);
        }

        await _admin.PostAsJsonAsync($"/api/v1/greenhouses/{ghs[0]}/harvests", Harvest("h", 3000, Seed.NewId("b")));
        await _admin.PostAsJsonAsync($"/api/v1/greenhouses/{ghs[1]}/harvests", Harvest("h", 1000, Seed.NewId("b")));

        var countyYield = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/yields?season={ThisSeason}&county={county}");
        var villageA = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/yields?season={ThisSeason}&village={va}");
        Assert.Equal(4000, countyYield.GetProperty("harvestedKg").GetDecimal());
        Assert.Equal(1000, countyYield.GetProperty("kgPerMu").GetDecimal());
        Assert.Equal(2, countyYield.GetProperty("greenhouses").GetInt32());
        Assert.Equal(3000, villageA.GetProperty("harvestedKg").GetDecimal());
        Assert.Equal(1500, villageA.GetProperty("kgPerMu").GetDecimal());
    }

    [Fact]
    public async Task BadHarvests_Are400NamingTheField_AndStoreNothing()
    {
        var (_, _, gh) = await GreenhouseAsync(Seed.NewId("v"), 1m, stage: "dormant");
        var bad = await _admin.PostAsJsonAsync($"/api/v1/greenhouses/{gh}/harvests",
            new { id = "h", at = Iso(DateTimeOffset.UtcNow.AddDays(1)), quantityKg = -1, grade = "superb", batchId = "b" });
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["at", "grade", "quantityKg"], errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        var batchId = Seed.NewId("b");
        var dormant = await _admin.PostAsJsonAsync($"/api/v1/greenhouses/{gh}/harvests", Harvest("h", 100, batchId));
        Assert.Equal(HttpStatusCode.BadRequest, dormant.StatusCode);
        Assert.True((await dormant.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("stage", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync($"/api/v1/batches/{batchId}")).StatusCode);
    }

    [Fact]
    public async Task HarvestIdReusedWithOtherContent_OrATakenBatchId_Is409()
    {
        var (coop, farm, gh) = await GreenhouseAsync(Seed.NewId("v"), 1m);
        var batchId = Seed.NewId("b");
        await _admin.PostAsJsonAsync($"/api/v1/greenhouses/{gh}/harvests", Harvest("h1", 100, batchId));

        Assert.Equal(HttpStatusCode.Conflict, (await _admin.PostAsJsonAsync($"/api/v1/greenhouses/{gh}/harvests", Harvest("h1", 101, batchId))).StatusCode);
        var taken = await _admin.PostAsJsonAsync($"/api/v1/greenhouses/{gh}/harvests", Harvest("h2", 50, batchId));
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Equal("batchId", (await taken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        var yield = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/greenhouses/{gh}/yield?season={ThisSeason}");
        Assert.Equal(100, yield.GetProperty("harvestedKg").GetDecimal());
    }

    [Fact]
    public async Task TechnicianOfAnotherFarm_Gets403()
    {
        var (coop, _, gh) = await GreenhouseAsync(Seed.NewId("v"), 1m);
        var other = await Seed.FarmAsync(_admin, coop);
        using var tech = fixture.App.ClientWithKey(await fixture.App.IssueKeyAsync(new { role = "technician", farmIds = new[] { other }, label = "t" }));
        Assert.Equal(HttpStatusCode.Forbidden, (await tech.PostAsJsonAsync($"/api/v1/greenhouses/{gh}/harvests", Harvest("h", 10, Seed.NewId("b")))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tech.GetAsync("/api/v1/yields")).StatusCode);
    }

    [Fact]
    public async Task DormantGreenhouse_CountsChillHoursBetween0And7Point2Degrees()
    {
        var start = DateTimeOffset.UtcNow.AddHours(-12);
        var (_, _, gh) = await GreenhouseAsync(Seed.NewId("v"), 1m, stage: "dormant");
        var temperatures = new[] { 5.0, 3.0, 9.0, -1.0, 7.2, 6.0 };
        var readings = temperatures.Select((t, h) => new { at = Iso(start.AddHours(h)), temperatureC = t });
        Assert.Equal(HttpStatusCode.OK, (await _admin.PostAsJsonAsync($"/api/v1/greenhouses/{gh}/readings", new { readings })).StatusCode);

        // Each reading holds for at most silentAfterMinutes (30): 5, 3 and 7.2 °C count, 9 and -1 do not; 6 °C is the latest.
        var greenhouse = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/greenhouses/{gh}");
        Assert.Equal(1.5, greenhouse.GetProperty("chillHours").GetDouble());
    }

    [Fact]
    public async Task OrchardHarvest_CreatesItsBatchOnce()
    {
        var coop = await Seed.CooperativeAsync(_admin);
        var farm = Seed.NewId("orchard");
        await _admin.PutAsJsonAsync($"/api/v1/farms/{farm}", new { name = "Persimmon slope", cooperativeId = coop, village = "Xibeizhuang", township = "Dongzhen", county = "Wenxi", kind = "orchard" });
        var batchId = Seed.NewId("b");
        var body = new { id = "p1", at = Iso(DateTimeOffset.UtcNow.AddHours(-2)), product = "persimmon", quantity = 480, unit = "kg", grade = "a", batchId, plot = "east slope" };

        Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsJsonAsync($"/api/v1/farms/{farm}/harvests", body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _admin.PostAsJsonAsync($"/api/v1/farms/{farm}/harvests", body)).StatusCode);

        var batch = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{batchId}");
        Assert.Equal(480, batch.GetProperty("quantity").GetDecimal());
        Assert.Equal("east slope", batch.GetProperty("origin").GetProperty("plot").GetString());
        var badUnit = await _admin.PostAsJsonAsync($"/api/v1/farms/{farm}/harvests",
            new { id = "p2", at = Iso(DateTimeOffset.UtcNow), product = "persimmon", quantity = 1, unit = "sack", grade = "a", batchId = Seed.NewId("b") });
        Assert.Equal(HttpStatusCode.BadRequest, badUnit.StatusCode);
    }

    [Fact]
    public async Task FloweringGreenhouse_ForecastsTheTarget_AndWarmerPostBloomReadingsBringHarvestEarlier()
    {
        var bloom = DateTimeOffset.UtcNow.AddDays(-3);
        var windows = new List<DateTimeOffset>();
        foreach (var temperature in new[] { 12.0, 24.0 })
        {
            var (_, _, gh) = await GreenhouseAsync(Seed.NewId("v"), 2m, stage: "budbreak", sinceDaysAgo: 10);
            Assert.Equal(HttpStatusCode.OK, (await _admin.PutAsJsonAsync($"/api/v1/greenhouses/{gh}/stage", new { stage = "flowering", since = Iso(bloom) })).StatusCode);
            var readings = Enumerable.Range(0, 48).Select(h => new { at = Iso(bloom.AddHours(h)), temperatureC = temperature, humidityPct = 60.0 });
            Assert.Equal(HttpStatusCode.OK, (await _admin.PostAsJsonAsync($"/api/v1/greenhouses/{gh}/readings", new { readings })).StatusCode);

            var yield = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/greenhouses/{gh}/yield");
            Assert.Equal(3000, yield.GetProperty("forecastKg").GetDecimal());
            Assert.Equal("bloom-plus-days-gdh-adjusted", yield.GetProperty("harvestWindowModel").GetProperty("model").GetString());
            Assert.Equal(48, yield.GetProperty("harvestWindowModel").GetProperty("measuredHours").GetDouble());
            windows.Add(yield.GetProperty("expectedHarvestFrom").GetDateTimeOffset());
        }

        Assert.True(windows[1] < windows[0], $"A warmer month after bloom must bring harvest earlier: {windows[1]:O} vs {windows[0]:O}.");
    }
}
