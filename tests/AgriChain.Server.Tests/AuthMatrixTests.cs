using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgriChain.Server.Tests.Infrastructure;

namespace AgriChain.Server.Tests;

/// <summary>Who may do what: every role and scope against every endpoint group.</summary>
[Collection(AppCollection.Name)]
public sealed class AuthMatrixTests(AppFixture fixture) : IAsyncLifetime
{
    private readonly AgriChainAppFactory _app = fixture.App;
    private World _w = null!;

    private sealed record World(string CoopA, string CoopB, string FarmA, string FarmB, string GreenhouseA,
        string GreenhouseB, string Buyer, string CoopAKey, string TechAKey, string BuyerKey);

    public async Task InitializeAsync()
    {
        using var admin = _app.Admin();
        var coopA = await Seed.CooperativeAsync(admin);
        var coopB = await Seed.CooperativeAsync(admin);
        var farmA = await Seed.FarmAsync(admin, coopA);
        var farmB = await Seed.FarmAsync(admin, coopB);
        var ghA = await Seed.GreenhouseAsync(admin, farmA);
        var ghB = await Seed.GreenhouseAsync(admin, farmB);
        var buyer = await Seed.BuyerAsync(admin);
        _w = new World(coopA, coopB, farmA, farmB, ghA, ghB, buyer,
            await _app.IssueKeyAsync(new { role = "cooperative", cooperativeId = coopA, label = "office A" }),
            await _app.IssueKeyAsync(new { role = "technician", farmIds = new[] { farmA }, label = "tech A" }),
            await _app.IssueKeyAsync(new { role = "buyer", buyerId = buyer, label = "purchasing" }));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string> ProtectedEndpoints() => new()
    {
        { "GET", "/api/v1/farms/any" },
        { "PUT", "/api/v1/farms/any" },
        { "GET", "/api/v1/greenhouses/any" },
        { "PUT", "/api/v1/greenhouses/any" },
        { "GET", "/api/v1/cooperatives/any" },
        { "PUT", "/api/v1/cooperatives/any" },
        { "GET", "/api/v1/buyers/any" },
        { "PUT", "/api/v1/buyers/any" },
        { "POST", "/api/v1/api-keys" },
        { "DELETE", "/api/v1/api-keys/any" },
        { "GET", "/metrics" },
        { "GET", "/orleans" },
    };

    [Theory]
    [MemberData(nameof(ProtectedEndpoints))]
    public async Task NoKey_Is401ProblemWithChallenge(string method, string path)
    {
        using var client = _app.ClientWithKey(null);
        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("not-a-key")]
    [InlineData("agk_0123456789abcdef01.wrongsecret")]
    [InlineData("agk_.x")]
    public async Task BadKey_Is401(string key)
    {
        using var client = _app.ClientWithKey(key);
        var response = await client.GetAsync($"/api/v1/farms/{_w.FarmA}");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task WrongSecretOfARealKey_Is401()
    {
        var key = _w.TechAKey[..^4] + "AAAA";
        using var client = _app.ClientWithKey(key);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/api/v1/farms/{_w.FarmA}")).StatusCode);
    }

    [Fact]
    public async Task RevokedKey_Is401Immediately()
    {
        using var admin = _app.Admin();
        var issued = await (await admin.PostAsJsonAsync("/api/v1/api-keys",
            new { role = "cooperative", cooperativeId = _w.CoopA, label = "temp" })).Content.ReadFromJsonAsync<JsonElement>();
        using var client = _app.ClientWithKey(issued.GetProperty("key").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/farms/{_w.FarmA}")).StatusCode);

        var revoke = await admin.DeleteAsync($"/api/v1/api-keys/{issued.GetProperty("id").GetString()}");

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/api/v1/farms/{_w.FarmA}")).StatusCode);
    }

    [Fact]
    public async Task Cooperative_ManagesItsOwnFarmsAndGreenhousesOnly()
    {
        using var coop = _app.ClientWithKey(_w.CoopAKey);

        Assert.Equal(HttpStatusCode.Created, (await coop.PutAsJsonAsync($"/api/v1/farms/{Seed.NewId("farm")}", Seed.Farm(_w.CoopA))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await coop.PutAsJsonAsync($"/api/v1/farms/{Seed.NewId("farm")}", Seed.Farm(_w.CoopB))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await coop.PutAsJsonAsync($"/api/v1/farms/{_w.FarmB}", Seed.Farm(_w.CoopA))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await coop.PutAsJsonAsync($"/api/v1/farms/{_w.FarmA}", Seed.Farm(_w.CoopA))).StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await coop.PutAsJsonAsync($"/api/v1/greenhouses/{Seed.NewId("gh")}", Seed.Greenhouse(_w.FarmA))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await coop.PutAsJsonAsync($"/api/v1/greenhouses/{Seed.NewId("gh")}", Seed.Greenhouse(_w.FarmB))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await coop.PutAsJsonAsync($"/api/v1/greenhouses/{_w.GreenhouseB}", Seed.Greenhouse(_w.FarmA))).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await coop.GetAsync($"/api/v1/farms/{_w.FarmA}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await coop.GetAsync($"/api/v1/farms/{_w.FarmB}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await coop.GetAsync($"/api/v1/greenhouses/{_w.GreenhouseA}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await coop.GetAsync($"/api/v1/greenhouses/{_w.GreenhouseB}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await coop.GetAsync($"/api/v1/cooperatives/{_w.CoopA}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await coop.GetAsync($"/api/v1/cooperatives/{_w.CoopB}")).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await coop.PutAsJsonAsync($"/api/v1/cooperatives/{_w.CoopA}", Seed.Cooperative("Mine"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await coop.PutAsJsonAsync($"/api/v1/buyers/{Seed.NewId("b")}", new { name = "x", city = "y" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await coop.GetAsync($"/api/v1/buyers/{_w.Buyer}")).StatusCode);
    }

    [Fact]
    public async Task Technician_ReadsItsFarmButManagesNothing()
    {
        using var tech = _app.ClientWithKey(_w.TechAKey);

        Assert.Equal(HttpStatusCode.OK, (await tech.GetAsync($"/api/v1/farms/{_w.FarmA}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await tech.GetAsync($"/api/v1/greenhouses/{_w.GreenhouseA}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tech.GetAsync($"/api/v1/farms/{_w.FarmB}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tech.GetAsync($"/api/v1/greenhouses/{_w.GreenhouseB}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tech.PutAsJsonAsync($"/api/v1/farms/{_w.FarmA}", Seed.Farm(_w.CoopA))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tech.PutAsJsonAsync($"/api/v1/greenhouses/{_w.GreenhouseA}", Seed.Greenhouse(_w.FarmA))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tech.GetAsync($"/api/v1/cooperatives/{_w.CoopA}")).StatusCode);
    }

    [Fact]
    public async Task Buyer_Gets403OnMasterDataWrites()
    {
        using var buyer = _app.ClientWithKey(_w.BuyerKey);

        var response = await buyer.PutAsJsonAsync($"/api/v1/farms/{Seed.NewId("farm")}", Seed.Farm(_w.CoopA));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, (await buyer.PutAsJsonAsync($"/api/v1/greenhouses/{Seed.NewId("gh")}", Seed.Greenhouse(_w.FarmA))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await buyer.PutAsJsonAsync($"/api/v1/cooperatives/{Seed.NewId("c")}", Seed.Cooperative())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await buyer.PutAsJsonAsync($"/api/v1/buyers/{_w.Buyer}", new { name = "x", city = "y" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await buyer.GetAsync($"/api/v1/farms/{_w.FarmA}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await buyer.GetAsync($"/api/v1/buyers/{_w.Buyer}")).StatusCode);
    }

    [Theory]
    [InlineData("coop")]
    [InlineData("tech")]
    [InlineData("buyer")]
    public async Task NonAdmins_Get403OnAdminEndpoints(string who)
    {
        var key = who switch { "coop" => _w.CoopAKey, "tech" => _w.TechAKey, _ => _w.BuyerKey };
        using var client = _app.ClientWithKey(key);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/v1/api-keys",
            new { role = "admin", label = "escalate" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync("/api/v1/api-keys/whatever")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/orleans")).StatusCode);
    }

    [Fact]
    public async Task Admin_ReachesMetricsAndDashboard()
    {
        using var admin = _app.Admin();
        var metrics = await admin.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("agrichain_master_data_writes", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/orleans/")).StatusCode);
    }
}
