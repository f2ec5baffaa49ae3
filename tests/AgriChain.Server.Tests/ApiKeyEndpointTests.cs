using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgriChain.Server.Tests.Infrastructure;

namespace AgriChain.Server.Tests;

[Collection(AppCollection.Name)]
public sealed class ApiKeyEndpointTests(AppFixture fixture)
{
    private readonly HttpClient _admin = fixture.App.Admin();

    [Fact]
    public async Task IssuedKey_IsShownOnce_AndWorks()
    {
        var coop = await Seed.CooperativeAsync(_admin);

        var response = await _admin.PostAsJsonAsync("/api/v1/api-keys", new { role = "cooperative", cooperativeId = coop, label = "office" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var issued = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = issued.GetProperty("id").GetString()!;
        var key = issued.GetProperty("key").GetString()!;
        Assert.StartsWith("agk_" + id + ".", key, StringComparison.Ordinal);
        Assert.Equal("cooperative", issued.GetProperty("role").GetString());
        Assert.Equal($"/api/v1/api-keys/{id}", response.Headers.Location?.OriginalString);

        var described = await _admin.GetStringAsync($"/api/v1/api-keys/{id}");
        Assert.DoesNotContain(key.Split('.')[1], described, StringComparison.Ordinal);
        Assert.DoesNotContain("\"key\"", described, StringComparison.Ordinal);

        using var client = fixture.App.ClientWithKey(key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/cooperatives/{coop}")).StatusCode);
    }

    [Fact]
    public async Task IssuedAdminKey_ActsAsAdmin()
    {
        var key = await fixture.App.IssueKeyAsync(new { role = "admin", label = "second admin" });
        using var client = fixture.App.ClientWithKey(key);
        Assert.Equal(HttpStatusCode.Created,
            (await client.PutAsJsonAsync($"/api/v1/cooperatives/{Seed.NewId("coop")}", Seed.Cooperative())).StatusCode);
    }

    [Fact]
    public async Task InvalidGrant_Is400ListingFields()
    {
        var response = await _admin.PostAsJsonAsync("/api/v1/api-keys", new { role = "technician", buyerId = "b" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["buyerId", "farmIds", "label"], errors.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task GrantForUnknownScope_Is400NamingIt()
    {
        var coop = await Seed.CooperativeAsync(_admin);
        var farm = await Seed.FarmAsync(_admin, coop);

        var response = await _admin.PostAsJsonAsync("/api/v1/api-keys",
            new { role = "technician", farmIds = new[] { farm, "no-such-farm" }, label = "tech" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["farmIds[1]"], errors.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task RevokingUnknownKey_Is404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.DeleteAsync($"/api/v1/api-keys/{Seed.NewId("k")}")).StatusCode);
    }

    [Fact]
    public async Task RevokedKey_ShowsRevocationTime()
    {
        var issued = await (await _admin.PostAsJsonAsync("/api/v1/api-keys", new { role = "admin", label = "temp" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var id = issued.GetProperty("id").GetString();

        await _admin.DeleteAsync($"/api/v1/api-keys/{id}");
        var again = await _admin.DeleteAsync($"/api/v1/api-keys/{id}");

        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        var view = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/api-keys/{id}");
        Assert.Equal(JsonValueKind.String, view.GetProperty("revokedAt").ValueKind);
    }
}
