using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgriChain.Server.Tests.Infrastructure;

namespace AgriChain.Server.Tests.Greenhouses;

[Collection(AppCollection.Name)]
public sealed class CropProfileEndpointTests(AppFixture fixture)
{
    private readonly HttpClient _admin = fixture.App.Admin();

    [Fact]
    public async Task Nectarine_IsBuiltIn()
    {
        var profile = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/crop-profiles/nectarine");
        var flowering = profile.GetProperty("stages").GetProperty("flowering");
        Assert.Equal(10, flowering.GetProperty("minTemperatureC").GetDouble());
        Assert.Equal(25, flowering.GetProperty("maxTemperatureC").GetDouble());
        Assert.Equal(1500, profile.GetProperty("targetYieldKgPerMu").GetDecimal());
        Assert.Equal(100, profile.GetProperty("daysBloomToHarvest").GetInt32());
        Assert.True(profile.GetProperty("stages").TryGetProperty("fruit-set", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync("/api/v1/crop-profiles/durian")).StatusCode);
    }

    [Fact]
    public async Task AdminStoresNewVersions_OthersCannot()
    {
        var crop = Seed.NewId("crop");
        var body = new
        {
            stages = new Dictionary<string, object> { ["flowering"] = new { minTemperatureC = 12.0, maxTemperatureC = 24.0 } },
            targetYieldKgPerMu = 1200,
            daysBloomToHarvest = 90,
            silentAfterMinutes = 20,
        };

        var first = await (await _admin.PutAsJsonAsync($"/api/v1/crop-profiles/{crop}", body)).Content.ReadFromJsonAsync<JsonElement>();
        var same = await (await _admin.PutAsJsonAsync($"/api/v1/crop-profiles/{crop}", body)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(1, first.GetProperty("version").GetInt32());
        Assert.Equal(1, same.GetProperty("version").GetInt32());
        Assert.Equal(12, (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/crop-profiles/{crop}"))
            .GetProperty("stages").GetProperty("flowering").GetProperty("minTemperatureC").GetDouble());

        var coop = await Seed.CooperativeAsync(_admin);
        using var coopClient = fixture.App.ClientWithKey(await fixture.App.IssueKeyAsync(new { role = "cooperative", cooperativeId = coop, label = "c" }));
        Assert.Equal(HttpStatusCode.Forbidden, (await coopClient.PutAsJsonAsync($"/api/v1/crop-profiles/{crop}", body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await coopClient.GetAsync($"/api/v1/crop-profiles/{crop}")).StatusCode);
    }

    [Fact]
    public async Task InvalidProfile_NamesTheFields()
    {
        var response = await _admin.PutAsJsonAsync($"/api/v1/crop-profiles/{Seed.NewId("crop")}", new
        {
            stages = new Dictionary<string, object>
            {
                ["flowering"] = new { minTemperatureC = 30.0, maxTemperatureC = 20.0 },
                ["blooming"] = new { minTemperatureC = 10.0 },
            },
            targetYieldKgPerMu = -1,
            daysBloomToHarvest = 90,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["silentAfterMinutes", "stages.blooming", "stages.flowering.minTemperatureC", "targetYieldKgPerMu"],
            errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }
}
