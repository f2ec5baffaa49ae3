using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AgriChain.Server.Tests.Infrastructure;

namespace AgriChain.Server.Tests;

[Collection(AppCollection.Name)]
public sealed class MasterDataEndpointTests(AppFixture fixture)
{
    private readonly HttpClient _admin = fixture.App.Admin();

    [Fact]
    public async Task PutFarm_CreatesThenRepeatsIdempotently()
    {
        var coop = await Seed.CooperativeAsync(_admin);
        var id = Seed.NewId("farm");

        var created = await _admin.PutAsJsonAsync($"/api/v1/farms/{id}", Seed.Farm(coop));
        var repeated = await _admin.PutAsJsonAsync($"/api/v1/farms/{id}", Seed.Farm(coop));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/v1/farms/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        Assert.Equal(await created.Content.ReadAsStringAsync(), await repeated.Content.ReadAsStringAsync());

        var farm = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/farms/{id}");
        Assert.Equal(coop, farm.GetProperty("cooperativeId").GetString());
        Assert.Equal("greenhouse", farm.GetProperty("kind").GetString());
        Assert.Equal("Asia/Shanghai", farm.GetProperty("timeZone").GetString());
        Assert.Equal(0, farm.GetProperty("greenhouseIds").GetArrayLength());
    }

    [Fact]
    public async Task PutFarm_WithAnotherCooperative_Is409AndChangesNothing()
    {
        var coop = await Seed.CooperativeAsync(_admin);
        var other = await Seed.CooperativeAsync(_admin);
        var farm = await Seed.FarmAsync(_admin, coop);

        var response = await _admin.PutAsJsonAsync($"/api/v1/farms/{farm}", Seed.Farm(other, "Renamed"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(409, problem.GetProperty("status").GetInt32());
        Assert.Equal("cooperativeId", problem.GetProperty("field").GetString());
        var stored = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/farms/{farm}");
        Assert.Equal("Nectarine park", stored.GetProperty("name").GetString());
    }

    [Fact]
    public async Task PutFarm_RenameIsAnUpdate()
    {
        var coop = await Seed.CooperativeAsync(_admin);
        var farm = await Seed.FarmAsync(_admin, coop);

        var response = await _admin.PutAsJsonAsync($"/api/v1/farms/{farm}", Seed.Farm(coop, "South park"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/farms/{farm}");
        Assert.Equal("South park", stored.GetProperty("name").GetString());
    }

    [Fact]
    public async Task PutFarm_WithUnknownCooperative_Is400NamingTheField()
    {
        var id = Seed.NewId("farm");
        var response = await _admin.PutAsJsonAsync($"/api/v1/farms/{id}", Seed.Farm("no-such-coop"));

        var errors = await AssertValidationProblemAsync(response);
        Assert.True(errors.TryGetProperty("cooperativeId", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync($"/api/v1/farms/{id}")).StatusCode);
    }

    [Fact]
    public async Task PutGreenhouse_ListsEveryBadField_AndStoresNothing()
    {
        var id = Seed.NewId("gh");
        var response = await _admin.PutAsJsonAsync($"/api/v1/greenhouses/{id}",
            new { farmId = "Bad Farm", name = "", crop = "nectarine", areaMu = -3 });

        var errors = await AssertValidationProblemAsync(response);
        Assert.Equal(["areaMu", "farmId", "name", "variety"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync($"/api/v1/greenhouses/{id}")).StatusCode);
    }

    [Fact]
    public async Task Put_WithMalformedId_Is400NamingId()
    {
        var response = await _admin.PutAsJsonAsync("/api/v1/cooperatives/Bad%20Id", Seed.Cooperative());
        var errors = await AssertValidationProblemAsync(response);
        Assert.True(errors.TryGetProperty("id", out _));
    }

    [Fact]
    public async Task Put_WithWrongJsonType_Is400NamingTheField()
    {
        var body = new StringContent("""{"farmId":"f","name":"n","crop":"nectarine","variety":"v","areaMu":"large"}""",
            Encoding.UTF8, "application/json");
        var response = await _admin.PutAsync($"/api/v1/greenhouses/{Seed.NewId("gh")}", body);

        var errors = await AssertValidationProblemAsync(response);
        Assert.True(errors.TryGetProperty("areaMu", out _));
    }

    [Fact]
    public async Task Put_WithBrokenJson_Is400Problem()
    {
        var body = new StringContent("{\"name\": ", Encoding.UTF8, "application/json");
        var response = await _admin.PutAsync($"/api/v1/buyers/{Seed.NewId("b")}", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Greenhouse_AppearsOnItsFarm_WithContractShape()
    {
        var coop = await Seed.CooperativeAsync(_admin);
        var farm = await Seed.FarmAsync(_admin, coop);
        var gh = await Seed.GreenhouseAsync(_admin, farm);

        var greenhouse = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/greenhouses/{gh}");
        var farmView = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/farms/{farm}");
        var coopView = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/cooperatives/{coop}");

        Assert.Equal(farm, greenhouse.GetProperty("farmId").GetString());
        Assert.Equal(1.2m, greenhouse.GetProperty("areaMu").GetDecimal());
        Assert.Equal("unknown", greenhouse.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, greenhouse.GetProperty("latest").ValueKind);
        Assert.Equal(0, greenhouse.GetProperty("openAlerts").GetArrayLength());
        Assert.Equal(0, greenhouse.GetProperty("coldExposure").GetProperty("minutesBelowFloor").GetDouble());
        Assert.Equal([gh], farmView.GetProperty("greenhouseIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([farm], coopView.GetProperty("farmIds").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Get_UnknownIds_Are404Problems()
    {
        foreach (var path in new[] { "cooperatives", "buyers", "farms", "greenhouses", "api-keys" })
        {
            var response = await _admin.GetAsync($"/api/v1/{path}/{Seed.NewId("none")}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    private static async Task<JsonElement> AssertValidationProblemAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Expected 400, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.GetProperty("errors");
    }
}
