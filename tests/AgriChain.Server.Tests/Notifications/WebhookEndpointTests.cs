using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgriChain.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AgriChain.Server.Tests.Notifications;

[Collection(AppCollection.Name)]
public sealed class WebhookEndpointTests(AppFixture fixture) : IAsyncLifetime
{
    private const string Secret = "whsec-0123456789abcdef";
    private readonly AgriChainAppFactory _app = fixture.App;
    private readonly HttpClient _admin = fixture.App.Admin();
    private World _w = null!;

    private sealed record World(string Coop, string OtherCoop, string Buyer, string OtherBuyer, string CoopKey,
        string OtherCoopKey, string TechKey, string BuyerKey, string OtherBuyerKey);

    public async Task InitializeAsync()
    {
        var coop = await Seed.CooperativeAsync(_admin);
        var otherCoop = await Seed.CooperativeAsync(_admin);
        var farm = await Seed.FarmAsync(_admin, coop);
        var buyer = await Seed.BuyerAsync(_admin);
        var otherBuyer = await Seed.BuyerAsync(_admin);
        _w = new World(coop, otherCoop, buyer, otherBuyer,
            await _app.IssueKeyAsync(new { role = "cooperative", cooperativeId = coop, label = "office" }),
            await _app.IssueKeyAsync(new { role = "cooperative", cooperativeId = otherCoop, label = "other office" }),
            await _app.IssueKeyAsync(new { role = "technician", farmIds = new[] { farm }, label = "tech" }),
            await _app.IssueKeyAsync(new { role = "buyer", buyerId = buyer, label = "purchasing" }),
            await _app.IssueKeyAsync(new { role = "buyer", buyerId = otherBuyer, label = "other purchasing" }));
    }

    public Task DisposeAsync()
    {
        _admin.Dispose();
        return Task.CompletedTask;
    }

    private static object Hook(string url = "https://hooks.example.org/agrichain", string secret = Secret, string? kind = null) =>
        kind is null ? new { url, secret } : new { url, secret, kind };

    private string CoopHooks(string? name = null) => $"/api/v1/cooperatives/{_w.Coop}/webhooks" + (name is null ? "" : $"/{name}");

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task PutWebhook_CreatesThenRepeatsIdempotently_ThenUpdates()
    {
        var created = await _admin.PutAsJsonAsync(CoopHooks("ops"), Hook());
        var repeated = await _admin.PutAsJsonAsync(CoopHooks("ops"), Hook());
        var rotated = await _admin.PutAsJsonAsync(CoopHooks("ops"), Hook(secret: Secret + "-2026"));
        var robot = await _admin.PutAsJsonAsync(CoopHooks("ops"), Hook(secret: Secret + "-2026", kind: "wecom"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(CoopHooks("ops"), created.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        Assert.Equal(await created.Content.ReadAsStringAsync(), await repeated.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.Equal(HttpStatusCode.OK, robot.StatusCode);

        var body = await JsonAsync(created);
        Assert.Equal(["name", "url", "kind", "createdAt", "updatedAt", "delivery"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ops", body.GetProperty("name").GetString());
        Assert.Equal("https://hooks.example.org/agrichain", body.GetProperty("url").GetString());
        Assert.Equal("generic", body.GetProperty("kind").GetString());
        Assert.Equal(0, body.GetProperty("delivery").GetProperty("pending").GetInt64());
        Assert.Equal("wecom", (await JsonAsync(robot)).GetProperty("kind").GetString());
    }

    [Fact]
    public async Task ListAndGet_NeverShowTheSecret()
    {
        await _admin.PutAsJsonAsync(CoopHooks("ops"), Hook());
        await _admin.PutAsJsonAsync(CoopHooks("robot"), Hook("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", kind: "wecom"));

        var list = await _admin.GetAsync(CoopHooks());
        var one = await _admin.GetAsync(CoopHooks("robot"));

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var listText = await list.Content.ReadAsStringAsync();
        var oneText = await one.Content.ReadAsStringAsync();
        Assert.DoesNotContain(Secret, listText, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, oneText, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", listText, StringComparison.OrdinalIgnoreCase);
        var page = JsonDocument.Parse(listText).RootElement;
        Assert.Equal(["ops", "robot"], page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextPageToken").ValueKind);
        Assert.Equal("wecom", JsonDocument.Parse(oneText).RootElement.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task List_PagesByName()
    {
        foreach (var name in new[] { "a-hook", "b-hook", "c-hook" })
        {
            await _admin.PutAsJsonAsync(CoopHooks(name), Hook());
        }

        var first = await _admin.GetFromJsonAsync<JsonElement>(CoopHooks() + "?limit=2");
        var token = first.GetProperty("nextPageToken").GetString();
        var second = await _admin.GetFromJsonAsync<JsonElement>(CoopHooks() + $"?limit=2&pageToken={token}");

        Assert.Equal(["a-hook", "b-hook"], first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        Assert.Equal("b-hook", token);
        Assert.Equal(["c-hook"], second.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextPageToken").ValueKind);
        var badLimit = await _admin.GetAsync(CoopHooks() + "?limit=0");
        Assert.True((await AssertValidationProblemAsync(badLimit)).TryGetProperty("limit", out _));
    }

    [Fact]
    public async Task Delete_RemovesTheWebhook()
    {
        await _admin.PutAsJsonAsync(CoopHooks("ops"), Hook());

        var deleted = await _admin.DeleteAsync(CoopHooks("ops"));
        var gone = await _admin.GetAsync(CoopHooks("ops"));
        var again = await _admin.DeleteAsync(CoopHooks("ops"));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Put_WithBadFields_Is400NamingEachField_AndStoresNothing()
    {
        var response = await _admin.PutAsJsonAsync(CoopHooks("Bad Name"), new { url = "ftp://example.org/x", secret = "short", kind = "slack" });

        var errors = await AssertValidationProblemAsync(response);
        Assert.Equal(["kind", "name", "secret", "url"], errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var list = await _admin.GetFromJsonAsync<JsonElement>(CoopHooks());
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"secret":"whsec-0123456789abcdef"}""", "url")]
    [InlineData("""{"url":"/relative"}""", "url")]
    [InlineData("""{"url":"https://example.org/x"}""", "secret")]
    [InlineData("""{"url":"https://example.org/x","secret":"0123456789abcde"}""", "secret")]
    [InlineData("""{"url":"https://example.org/x","secret":"whsec-0123456789abcdef","kind":"WeCom"}""", "kind")]
    [InlineData("""{"url":42,"secret":"whsec-0123456789abcdef"}""", "url")]
    public async Task Put_WithABadField_Is400NamingIt(string body, string field)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var response = await _admin.PutAsync(CoopHooks("ops"), content);

        var errors = await AssertValidationProblemAsync(response);
        Assert.True(errors.TryGetProperty(field, out _), $"Expected an error for '{field}', got {errors}.");
    }

    [Fact]
    public async Task Put_BeyondTwentyWebhooks_Is409NamingTheName()
    {
        for (var i = 1; i <= 20; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await _admin.PutAsJsonAsync(CoopHooks($"hook-{i:00}"), Hook())).StatusCode);
        }

        var refused = await _admin.PutAsJsonAsync(CoopHooks("hook-21"), Hook());
        var existing = await _admin.PutAsJsonAsync(CoopHooks("hook-01"), Hook(kind: "wecom"));

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("name", (await JsonAsync(refused)).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.OK, existing.StatusCode);
    }

    [Fact]
    public async Task Put_ForAnUnknownCooperative_Is404()
    {
        var response = await _admin.PutAsJsonAsync("/api/v1/cooperatives/no-such-coop/webhooks/ops", Hook());
        var list = await _admin.GetAsync("/api/v1/cooperatives/no-such-coop/webhooks");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
    }

    [Fact]
    public async Task CooperativeKey_ManagesItsOwnWebhooks()
    {
        using var coop = _app.ClientWithKey(_w.CoopKey);

        Assert.Equal(HttpStatusCode.Created, (await coop.PutAsJsonAsync(CoopHooks("ops"), Hook())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await coop.GetAsync(CoopHooks())).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await coop.DeleteAsync(CoopHooks("ops"))).StatusCode);
    }

    public static TheoryData<string> Outsiders() => ["other-coop", "technician", "buyer"];

    [Theory]
    [MemberData(nameof(Outsiders))]
    public async Task CooperativeWebhooks_OutsideTheCooperative_Are403(string who)
    {
        await _admin.PutAsJsonAsync(CoopHooks("ops"), Hook());
        var key = who switch { "other-coop" => _w.OtherCoopKey, "technician" => _w.TechKey, _ => _w.BuyerKey };
        using var client = _app.ClientWithKey(key);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsJsonAsync(CoopHooks("mine"), Hook())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(CoopHooks())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(CoopHooks("ops"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync(CoopHooks("ops"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _admin.GetAsync(CoopHooks("ops"))).StatusCode);
    }

    [Fact]
    public async Task BuyerWebhooks_BelongToTheBuyer()
    {
        var path = $"/api/v1/buyers/{_w.Buyer}/webhooks/supply";
        using var buyer = _app.ClientWithKey(_w.BuyerKey);
        using var otherBuyer = _app.ClientWithKey(_w.OtherBuyerKey);
        using var coop = _app.ClientWithKey(_w.CoopKey);

        var created = await buyer.PutAsJsonAsync(path, Hook(kind: "generic"));
        var listed = await buyer.GetFromJsonAsync<JsonElement>($"/api/v1/buyers/{_w.Buyer}/webhooks");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(["supply"], listed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await otherBuyer.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await otherBuyer.PutAsJsonAsync(path, Hook())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await coop.PutAsJsonAsync(path, Hook())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.PutAsJsonAsync("/api/v1/buyers/no-such-buyer/webhooks/supply", Hook())).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await buyer.DeleteAsync(path)).StatusCode);
    }

    [Fact]
    public async Task CooperativeAndBuyerWithTheSameId_HaveSeparateWebhooks()
    {
        var id = Seed.NewId("same");
        await _admin.PutAsJsonAsync($"/api/v1/cooperatives/{id}", Seed.Cooperative());
        await _admin.PutAsJsonAsync($"/api/v1/buyers/{id}", new { name = "Same Name Trading", city = "Yuncheng" });

        await _admin.PutAsJsonAsync($"/api/v1/cooperatives/{id}/webhooks/ops", Hook());

        var buyerHooks = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/buyers/{id}/webhooks");
        Assert.Equal(0, buyerHooks.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("PUT", "/api/v1/cooperatives/any/webhooks/ops")]
    [InlineData("GET", "/api/v1/cooperatives/any/webhooks")]
    [InlineData("DELETE", "/api/v1/buyers/any/webhooks/ops")]
    [InlineData("GET", "/api/v1/alerts/stream")]
    public async Task NoKey_Is401(string method, string path)
    {
        using var anonymous = _app.ClientWithKey(null);
        var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(Hook()) });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Webhooks_AreReadBackFromStorage_AfterDeactivation()
    {
        await _admin.PutAsJsonAsync(CoopHooks("ops"), Hook(kind: "wecom"));
        var before = await _admin.GetStringAsync(CoopHooks("ops"));

        var grains = _app.Services.GetRequiredService<IGrainFactory>();
        await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var after = await _admin.GetStringAsync(CoopHooks("ops"));

        Assert.Equal(before, after);
        Assert.Equal(HttpStatusCode.OK, (await _admin.PutAsJsonAsync(CoopHooks("ops"), Hook(kind: "wecom"))).StatusCode);
    }

    private static async Task<JsonElement> AssertValidationProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
    }
}
