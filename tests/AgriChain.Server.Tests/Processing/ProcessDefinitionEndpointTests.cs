using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgriChain.Server.Tests.Infrastructure;

namespace AgriChain.Server.Tests.Processing;

[Collection(AppCollection.Name)]
public sealed class ProcessDefinitionEndpointTests(AppFixture fixture)
{
    private readonly HttpClient _admin = fixture.App.Admin();

    private static object Definition(decimal maxFermentationC = 28m) => new
    {
        product = "persimmon-vinegar",
        outputUnit = "L",
        expectedYieldPerKg = 0.6m,
        inputProduct = "persimmon",
        steps = new object[]
        {
            new { name = "crushing", required = true, consumesInputs = true, parameters = new { } },
            new { name = "main-fermentation", required = true, parameters = new { temperatureC = new { unit = "°C", min = 18m, max = maxFermentationC } } },
            new { name = "acetic-fermentation", required = false, parameters = new { days = new { unit = "d", min = 20m, max = (decimal?)null } } },
        },
    };

    [Theory]
    [InlineData("admin")]
    [InlineData("cooperative")]
    [InlineData("technician")]
    [InlineData("buyer")]
    public async Task PersimmonWine_IsReadableWithAnyKey_InTheContractsShape(string role)
    {
        using var client = await ClientAsync(role);

        var response = await client.GetAsync("/api/v1/process-definitions/persimmon-wine");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("persimmon-wine", body.GetProperty("id").GetString());
        Assert.Equal(1, body.GetProperty("version").GetInt32());
        Assert.Equal("persimmon-wine", body.GetProperty("product").GetString());
        Assert.Equal("L", body.GetProperty("outputUnit").GetString());
        Assert.Equal(0.5m, body.GetProperty("expectedYieldPerKg").GetDecimal());
        var steps = body.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(12, steps.Count);
        Assert.Equal("sorting-and-washing", steps[0].GetProperty("name").GetString());
        Assert.Equal("sterilisation", steps[11].GetProperty("name").GetString());
        var fermentation = steps[4];
        Assert.Equal("main-fermentation", fermentation.GetProperty("name").GetString());
        Assert.True(fermentation.GetProperty("required").GetBoolean());
        var temperature = fermentation.GetProperty("parameters").GetProperty("temperatureC");
        Assert.Equal(("°C", 18m, 28m), (temperature.GetProperty("unit").GetString(), temperature.GetProperty("min").GetDecimal(), temperature.GetProperty("max").GetDecimal()));
        Assert.Equal(JsonValueKind.Null, fermentation.GetProperty("parameters").GetProperty("residualSugarGPerL").GetProperty("min").ValueKind);
        Assert.Equal(["temperatureC", "days", "residualSugarGPerL"], fermentation.GetProperty("parameters").EnumerateObject().Select(p => p.Name));
        Assert.False(steps[8].GetProperty("required").GetBoolean());
        Assert.Equal(["bottleSizeL", "count"], steps[10].GetProperty("parameters").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task UnknownDefinition_Is404_AndNoKeyIs401()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync($"/api/v1/process-definitions/{Seed.NewId("def")}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync("/api/v1/process-definitions/persimmon-wine?version=999")).StatusCode);
        using var anonymous = fixture.App.ClientWithKey(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/process-definitions/persimmon-wine")).StatusCode);
    }

    [Fact]
    public async Task Admins_StoreNewVersions_AndOldOnesStayReadable()
    {
        var id = Seed.NewId("vinegar");

        var created = await _admin.PutAsJsonAsync($"/api/v1/process-definitions/{id}", Definition());
        var same = await _admin.PutAsJsonAsync($"/api/v1/process-definitions/{id}", Definition());
        var edited = await _admin.PutAsJsonAsync($"/api/v1/process-definitions/{id}", Definition(maxFermentationC: 30m));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(1, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(1, (await same.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal(2, (await edited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());
        var v1 = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/process-definitions/{id}?version=1");
        Assert.Equal(28m, v1.GetProperty("steps")[1].GetProperty("parameters").GetProperty("temperatureC").GetProperty("max").GetDecimal());
        var latest = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/process-definitions/{id}");
        Assert.Equal(30m, latest.GetProperty("steps")[1].GetProperty("parameters").GetProperty("temperatureC").GetProperty("max").GetDecimal());
        Assert.True(latest.GetProperty("steps")[0].GetProperty("consumesInputs").GetBoolean());
    }

    [Theory]
    [InlineData("cooperative")]
    [InlineData("technician")]
    [InlineData("buyer")]
    public async Task OnlyAdmins_EditDefinitions(string role)
    {
        using var client = await ClientAsync(role);

        var response = await client.PutAsJsonAsync($"/api/v1/process-definitions/{Seed.NewId("vinegar")}", Definition());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ABadDefinition_Is400NamingEveryField()
    {
        var response = await _admin.PutAsJsonAsync($"/api/v1/process-definitions/{Seed.NewId("vinegar")}", new
        {
            product = "persimmon-vinegar",
            outputUnit = "barrel",
            expectedYieldPerKg = 0.6m,
            steps = new object[]
            {
                new { name = "Crushing", required = true, parameters = new { } },
                new { name = "fermentation", required = true, parameters = new { temperatureC = new { unit = "°C", min = 30m, max = 20m } } },
            },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["outputUnit", "steps[0].name", "steps[1].parameters.temperatureC.min"],
            errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    private async Task<HttpClient> ClientAsync(string role)
    {
        if (role == "admin")
        {
            return fixture.App.Admin();
        }

        var coop = await Seed.CooperativeAsync(_admin);
        object request = role switch
        {
            "cooperative" => new { role, cooperativeId = coop, label = "office" },
            "technician" => new { role, farmIds = new[] { await Seed.FarmAsync(_admin, coop) }, label = "tech" },
            _ => new { role, buyerId = await Seed.BuyerAsync(_admin), label = "buyer" },
        };
        return fixture.App.ClientWithKey(await fixture.App.IssueKeyAsync(request));
    }
}
