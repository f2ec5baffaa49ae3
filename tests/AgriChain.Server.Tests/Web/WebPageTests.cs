using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgriChain.Server.Tests.Infrastructure;

namespace AgriChain.Server.Tests.Web;

/// <summary>The pages through the real host: sessions, scopes, language, the chart, quick entry, alerts, batches.</summary>
[Collection(AppCollection.Name)]
public sealed class WebPageTests(AppFixture fixture)
{
    private AgriChainAppFactory App => fixture.App;

    [Fact]
    public async Task SignIn_WithBadKey_ShowsTheFieldErrorAndOpensNoSession()
    {
        using var browser = WebClient.Open(App);

        var response = await browser.SignInAsync("agk_nosuchkey.secret");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("id=\"key-error\"", html, StringComparison.Ordinal);
        Assert.Contains("This key is not valid, or it has been revoked.", html, StringComparison.Ordinal);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("agrichain.session=", StringComparison.Ordinal));
        var (status, _) = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, status);
    }

    [Fact]
    public async Task SignIn_WithIssuedKey_SetsAnHttpOnlySecureLaxSessionCookie()
    {
        var (key, _, _) = await CooperativeWithGreenhouseAsync();
        using var browser = WebClient.Open(App);

        var response = await browser.SignInAsync(key);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", Local(response));
        var session = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("agrichain.session=", StringComparison.Ordinal));
        var attributes = session.ToLowerInvariant();
        Assert.Contains("; httponly", attributes, StringComparison.Ordinal);
        Assert.Contains("; secure", attributes, StringComparison.Ordinal);
        Assert.Contains("; samesite=lax", attributes, StringComparison.Ordinal);
        var (status, html) = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("class=\"tile", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_WithoutSession_RedirectsToSignInWithTheReturnAddress()
    {
        using var browser = WebClient.Open(App);

        var response = await browser.Http.GetAsync("/greenhouses/gh-1");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("https://localhost/signin?returnUrl=%2Fgreenhouses%2Fgh-1", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_WithOnlyTheSessionCookie_StillAnswers401Problem()
    {
        var (key, _, greenhouseId) = await CooperativeWithGreenhouseAsync();
        using var browser = await WebClient.SignedInAsync(App, key);

        var response = await browser.Http.GetAsync($"/api/v1/greenhouses/{greenhouseId}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task RevokedKey_EndsItsSessionAtOnce()
    {
        using var admin = App.Admin();
        var cooperativeId = await Seed.CooperativeAsync(admin);
        var issued = await (await admin.PostAsJsonAsync("/api/v1/api-keys", new { role = "cooperative", cooperativeId, label = "web" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        using var browser = await WebClient.SignedInAsync(App, issued.GetProperty("key").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/api-keys/{issued.GetProperty("id").GetString()}")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).Status);
    }

    [Fact]
    public async Task GreenhouseOfAnotherCooperative_AnswersTheForbiddenPage_AndAnUnknownOneTheNotFoundPage()
    {
        var (key, _, _) = await CooperativeWithGreenhouseAsync();
        var (_, _, otherGreenhouse) = await CooperativeWithGreenhouseAsync();
        using var browser = await WebClient.SignedInAsync(App, key);

        var (forbidden, forbiddenHtml) = await browser.GetAsync($"/greenhouses/{otherGreenhouse}");
        var (entry, _) = await browser.GetAsync($"/greenhouses/{otherGreenhouse}/entry");
        var (missing, missingHtml) = await browser.GetAsync("/greenhouses/no-such-greenhouse");

        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        Assert.Contains("data-problem=\"forbidden\"", forbiddenHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("House 7", forbiddenHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, entry);
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Contains("data-problem=\"not-found\"", missingHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Technician_SeesOnlyTheFarmsOfItsKey()
    {
        using var admin = App.Admin();
        var cooperativeId = await Seed.CooperativeAsync(admin);
        var farmId = await Seed.FarmAsync(admin, cooperativeId);
        var otherFarm = await Seed.FarmAsync(admin, cooperativeId);
        var mine = await Seed.GreenhouseAsync(admin, farmId);
        var theirs = await Seed.GreenhouseAsync(admin, otherFarm);
        var key = await App.IssueKeyAsync(new { role = "technician", farmIds = new[] { farmId }, label = "tech" });
        using var browser = await WebClient.SignedInAsync(App, key);

        var (_, board) = await browser.GetAsync("/");

        Assert.Contains($"id=\"gh-{mine}\"", board, StringComparison.Ordinal);
        Assert.DoesNotContain($"id=\"gh-{theirs}\"", board, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/greenhouses/{mine}/entry")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync($"/greenhouses/{theirs}")).Status);
    }

    [Fact]
    public async Task Language_FollowsTheBrowser_AndTheSwitchOverridesIt()
    {
        using var chinese = WebClient.Open(App, "zh-CN");
        using var english = WebClient.Open(App, "en-GB");

        var (_, zh) = await chinese.GetAsync("/signin");
        var (_, en) = await english.GetAsync("/signin");

        Assert.Contains("<html lang=\"zh-CN\">", zh, StringComparison.Ordinal);
        Assert.Contains(">API 密钥</label>", zh, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\">", en, StringComparison.Ordinal);
        Assert.Contains(">API key</label>", en, StringComparison.Ordinal);

        var switched = await chinese.Http.GetAsync("/culture?name=en&returnUrl=%2Fsignin");
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/signin", switched.Headers.Location?.OriginalString);
        var (_, after) = await chinese.GetAsync("/signin");
        Assert.Contains(">API key</label>", after, StringComparison.Ordinal);

        var offsite = await chinese.Http.GetAsync("/culture?name=zh-CN&returnUrl=%2F%2Fevil.example");
        Assert.Equal("/", offsite.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Chart_DrawsTheFloorAtTheProfileValue_AndShadesAKnownAlert()
    {
        var (key, _, greenhouseId) = await CooperativeWithGreenhouseAsync();
        using var admin = App.Admin();
        var now = DateTimeOffset.UtcNow;
        await PutStageAsync(admin, greenhouseId, "flowering", now.AddHours(-6));
        await PostReadingsAsync(admin, greenhouseId,
            (now.AddHours(-5), 14.0), (now.AddHours(-4), 8.5), (now.AddHours(-3), 7.9), (now.AddHours(-2), 12.5), (now.AddHours(-1), 13.0));
        var alertId = (await AlertsAsync(admin, greenhouseId)).Single().GetProperty("id").GetString()!;
        using var browser = await WebClient.SignedInAsync(App, key);

        var (status, html) = await browser.GetAsync($"/greenhouses/{greenhouseId}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<line class=\"floor\" data-celsius=\"10\"", html, StringComparison.Ordinal);
        Assert.Contains("<line class=\"ceiling\" data-celsius=\"25\"", html, StringComparison.Ordinal);
        Assert.Contains($"<rect class=\"alert-interval\" data-alert-id=\"{alertId}\" data-kind=\"temperature-below-floor\"", html, StringComparison.Ordinal);
        Assert.Contains("<path class=\"temperature\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuickEntry_StoresTheReading_VisibleThroughTheApi()
    {
        var (key, _, greenhouseId) = await CooperativeWithGreenhouseAsync();
        using var browser = await WebClient.SignedInAsync(App, key);

        var response = await browser.PostFormAsync($"/greenhouses/{greenhouseId}/entry", "reading",
            new Dictionary<string, string> { ["Temperature"] = "9,6", ["Humidity"] = "64", ["At"] = "" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/greenhouses/{greenhouseId}/entry?saved=reading", Local(response));
        using var admin = App.Admin();
        var history = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/greenhouses/{greenhouseId}/readings");
        var point = Assert.Single(history.GetProperty("points").EnumerateArray());
        Assert.Equal(9.6, point.GetProperty("temperatureC").GetDouble());
        Assert.Equal(64, point.GetProperty("humidityPct").GetDouble());
        Assert.Equal("manual", point.GetProperty("sensorId").GetString());
        var (_, page) = await browser.GetAsync($"/greenhouses/{greenhouseId}/entry?saved=reading");
        Assert.Contains("Saved. Latest reading: 9.6 °C", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuickEntry_WithBadInput_ShowsFieldErrorsAndStoresNothing()
    {
        var (key, _, greenhouseId) = await CooperativeWithGreenhouseAsync();
        using var browser = await WebClient.SignedInAsync(App, key);

        var response = await browser.PostFormAsync($"/greenhouses/{greenhouseId}/entry", "reading",
            new Dictionary<string, string> { ["Temperature"] = "warm", ["Humidity"] = "140", ["At"] = "" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<span class=\"field-error\" id=\"temperature-error\" data-field=\"temperature\">Enter a number, such as 9.5.</span>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"humidity-error\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"warm\"", html, StringComparison.Ordinal);
        using var admin = App.Admin();
        var history = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/greenhouses/{greenhouseId}/readings");
        Assert.Empty(history.GetProperty("points").EnumerateArray());
    }

    [Fact]
    public async Task QuickEntry_ChangesTheStage_AndRefusesOneBeforeTheCurrent()
    {
        var (key, _, greenhouseId) = await CooperativeWithGreenhouseAsync();
        using var browser = await WebClient.SignedInAsync(App, key);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var since = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddHours(-2), zone).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
        var earlier = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddDays(-2), zone).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

        var saved = await browser.PostFormAsync($"/greenhouses/{greenhouseId}/entry", "stage",
            new Dictionary<string, string> { ["Stage"] = "flowering", ["Since"] = since });
        var refused = await browser.PostFormAsync($"/greenhouses/{greenhouseId}/entry", "stage",
            new Dictionary<string, string> { ["Stage"] = "fruit-set", ["Since"] = earlier });

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("id=\"since-error\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var admin = App.Admin();
        var greenhouse = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/greenhouses/{greenhouseId}");
        Assert.Equal("flowering", greenhouse.GetProperty("stage").GetString());
    }

    [Fact]
    public async Task Acknowledge_FromThePage_IsRecordedOnTheAlert()
    {
        var (key, _, greenhouseId) = await CooperativeWithGreenhouseAsync();
        using var admin = App.Admin();
        var now = DateTimeOffset.UtcNow;
        await PutStageAsync(admin, greenhouseId, "flowering", now.AddHours(-3));
        await PostReadingsAsync(admin, greenhouseId, (now.AddHours(-2), 8.0));
        var alertId = (await AlertsAsync(admin, greenhouseId)).Single().GetProperty("id").GetString()!;
        using var browser = await WebClient.SignedInAsync(App, key);

        var response = await browser.PostFormAsync($"/greenhouses/{greenhouseId}", $"ack-{alertId}",
            new Dictionary<string, string> { ["AlertId"] = alertId, ["Note"] = "Heater restarted" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var alert = (await AlertsAsync(admin, greenhouseId)).Single();
        Assert.Equal("Heater restarted", alert.GetProperty("acknowledgementNote").GetString());
        Assert.False(string.IsNullOrEmpty(alert.GetProperty("acknowledgedBy").GetString()));
        var (_, page) = await browser.GetAsync($"/greenhouses/{greenhouseId}");
        Assert.Contains("data-f=\"acknowledged\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BatchPage_DrawsTheLineage_AndOffersTheRecallToTheOwnerOnly()
    {
        var (key, cooperativeId, greenhouseId) = await CooperativeWithGreenhouseAsync();
        using var admin = App.Admin();
        var batchId = Seed.NewId("lot");
        var create = await admin.PostAsJsonAsync("/api/v1/batches", new { id = batchId, product = "nectarine", quantity = 500, unit = "kg", grade = "a", ownerId = cooperativeId });
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        var part = Seed.NewId("part");
        var split = await admin.PostAsJsonAsync($"/api/v1/batches/{batchId}/split", new { parts = new[] { new { id = part, quantity = 200 } } });
        Assert.Equal(HttpStatusCode.OK, split.StatusCode);
        var buyerId = await Seed.BuyerAsync(admin);
        var buyerKey = await App.IssueKeyAsync(new { role = "buyer", buyerId, label = "buyer" });
        using var owner = await WebClient.SignedInAsync(App, key);
        using var buyer = await WebClient.SignedInAsync(App, buyerKey);

        var (status, html) = await owner.GetAsync($"/batches/{batchId}");
        var (buyerStatus, _) = await buyer.GetAsync($"/batches/{batchId}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"data-batch-id=\"{part}\"", html, StringComparison.Ordinal);
        Assert.Contains($"<path class=\"edge\" data-from=\"{batchId}\" data-to=\"{part}\" data-kind=\"split\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"Reason\"", html, StringComparison.Ordinal);
        Assert.Contains("<svg", html[html.IndexOf("class=\"card qr\"", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, buyerStatus);
        _ = greenhouseId;

        var recall = await owner.PostFormAsync($"/batches/{batchId}", "recall", new Dictionary<string, string> { ["Reason"] = "" });
        Assert.Equal(HttpStatusCode.BadRequest, recall.StatusCode);
        Assert.Contains("id=\"reason-error\"", await recall.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        recall = await owner.PostFormAsync($"/batches/{batchId}", "recall", new Dictionary<string, string> { ["Reason"] = "Residue test failed" });
        Assert.Equal(HttpStatusCode.Redirect, recall.StatusCode);
        var child = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{part}");
        Assert.Equal("recalled", child.GetProperty("status").GetString());
    }

    [Fact]
    public async Task BoardStream_SendsTheTilesOfTheCallersBoard_AsServerSentEvents()
    {
        var (key, _, greenhouseId) = await CooperativeWithGreenhouseAsync();
        var (_, _, otherGreenhouse) = await CooperativeWithGreenhouseAsync();
        using var browser = await WebClient.SignedInAsync(App, key);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        using var response = await browser.Http.GetAsync("/live/board", HttpCompletionOption.ResponseHeadersRead, timeout.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        string? data = null;
        while (data is null && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line["data: ".Length..];
            }
        }

        var tile = JsonDocument.Parse(data!).RootElement;
        Assert.Equal(greenhouseId, tile.GetProperty("id").GetString());
        Assert.Equal("unknown", tile.GetProperty("status").GetString());
        Assert.Equal("No reading yet", tile.GetProperty("statusText").GetString());
        Assert.NotEqual(otherGreenhouse, tile.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Supply_ShowsFreeKilogramsByVillage_AndADemandPlacedOnThePageWithItsMatch()
    {
        var (_, cooperativeId, _) = await CooperativeWithGreenhouseAsync();
        using var admin = App.Admin();
        var product = Seed.NewId("fruit");
        var batchId = Seed.NewId("lot");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/batches",
            new { id = batchId, product, quantity = 500, unit = "kg", grade = "a", ownerId = cooperativeId })).StatusCode);
        var offerId = Seed.NewId("offer");
        var now = DateTimeOffset.UtcNow;
        var offer = await admin.PostAsJsonAsync("/api/v1/offers", new
        {
            id = offerId, ownerId = cooperativeId, product, grade = "a", quantityKg = 300, pricePerKg = 9.0,
            availableFrom = now.AddHours(-1).ToString("O", CultureInfo.InvariantCulture),
            availableTo = now.AddDays(10).ToString("O", CultureInfo.InvariantCulture), batchId,
        });
        Assert.True(offer.StatusCode == HttpStatusCode.Created, await offer.Content.ReadAsStringAsync());
        var buyerId = await Seed.BuyerAsync(admin);
        var buyerKey = await App.IssueKeyAsync(new { role = "buyer", buyerId, label = "buyer" });
        var technicianKey = await App.IssueKeyAsync(new { role = "technician", farmIds = new[] { await Seed.FarmAsync(admin, cooperativeId) }, label = "tech" });
        using var buyer = await WebClient.SignedInAsync(App, buyerKey);
        using var technician = await WebClient.SignedInAsync(App, technicianKey);

        var (status, html) = await buyer.GetAsync($"/supply?product={product}");
        var bad = await buyer.PostFormAsync($"/supply?product={product}", "demand",
            new Dictionary<string, string> { ["QuantityKg"] = "", ["MaxPricePerKg"] = "10", ["DeliverBy"] = "", ["DemandGrade"] = "a" });
        var placed = await buyer.PostFormAsync($"/supply?product={product}", "demand", new Dictionary<string, string>
        {
            ["QuantityKg"] = "120", ["MaxPricePerKg"] = "10",
            ["DeliverBy"] = now.AddDays(5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["DemandGrade"] = "a",
        });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<tr data-village=\"Xibeizhuang\">", html, StringComparison.Ordinal);
        Assert.Contains("<dd data-f=\"total\">300 kg</dd>", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("id=\"quantityKg-error\"", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, placed.StatusCode);
        var (_, result) = await buyer.GetAsync(Local(placed)!);
        Assert.Contains("data-status=\"matched\"", result, StringComparison.Ordinal);
        Assert.Contains($"<tr data-offer=\"{offerId}\">", result, StringComparison.Ordinal);
        Assert.Contains("<dd data-f=\"total\">180 kg</dd>", result, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await technician.GetAsync($"/supply?product={product}")).Status);
    }

    [Fact]
    public async Task FormPost_WithoutTheAntiforgeryToken_IsRefused()
    {
        var (key, _, greenhouseId) = await CooperativeWithGreenhouseAsync();
        using var browser = await WebClient.SignedInAsync(App, key);

        var response = await browser.Http.PostAsync($"/greenhouses/{greenhouseId}/entry", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["_handler"] = "reading", ["Temperature"] = "12" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var admin = App.Admin();
        var history = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/greenhouses/{greenhouseId}/readings");
        Assert.Empty(history.GetProperty("points").EnumerateArray());
    }

    /// <summary>Where a redirect leads, as a path of this site.</summary>
    private static string? Local(HttpResponseMessage response) => response.Headers.Location is { } location
        ? location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString
        : null;

    private async Task<(string Key, string CooperativeId, string GreenhouseId)> CooperativeWithGreenhouseAsync()
    {
        using var admin = App.Admin();
        var cooperativeId = await Seed.CooperativeAsync(admin);
        var farmId = await Seed.FarmAsync(admin, cooperativeId);
        var greenhouseId = await Seed.GreenhouseAsync(admin, farmId);
        var key = await App.IssueKeyAsync(new { role = "cooperative", cooperativeId, label = "web" });
        return (key, cooperativeId, greenhouseId);
    }

    private static async Task PutStageAsync(HttpClient admin, string greenhouseId, string stage, DateTimeOffset since)
    {
        var response = await admin.PutAsJsonAsync($"/api/v1/greenhouses/{greenhouseId}/stage", new { stage, since = since.ToString("O", CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task PostReadingsAsync(HttpClient admin, string greenhouseId, params (DateTimeOffset At, double TemperatureC)[] readings)
    {
        var response = await admin.PostAsJsonAsync($"/api/v1/greenhouses/{greenhouseId}/readings", new
        {
            readings = readings.Select(r => new { at = r.At.ToString("O", CultureInfo.InvariantCulture), temperatureC = r.TemperatureC, humidityPct = 60 }),
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<List<JsonElement>> AlertsAsync(HttpClient admin, string greenhouseId)
    {
        var page = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/greenhouses/{greenhouseId}/alerts?state=all");
        return page.GetProperty("items").EnumerateArray().ToList();
    }
}
