using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgriChain.Server.Tests.Infrastructure;

namespace AgriChain.Server.Tests.Market;

/// <summary>
/// A private corner of the market for one test, built through the API: its own county and product (so supply
/// partitions never overlap between tests), cooperatives in named villages with their keys, and a buyer with its key.
/// </summary>
internal sealed class MarketHttp(AgriChainAppFactory app, HttpClient admin)
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public string County { get; } = Seed.NewId("county");

    public string Product { get; } = Seed.NewId("nect");

    public HttpClient Admin => admin;

    public static string Today => DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string InDays(int days) =>
        DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task<(string Id, HttpClient Client)> CooperativeAsync(string village)
    {
        var id = Seed.NewId("coop");
        var put = await admin.PutAsJsonAsync($"/api/v1/cooperatives/{id}", new { name = $"{village} Co-op", village, township = "Dongzhen", county = County });
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        return (id, app.ClientWithKey(await app.IssueKeyAsync(new { role = "cooperative", cooperativeId = id, label = village })));
    }

    public async Task<(string Id, HttpClient Client)> BuyerAsync()
    {
        var id = await Seed.BuyerAsync(admin);
        return (id, app.ClientWithKey(await app.IssueKeyAsync(new { role = "buyer", buyerId = id, label = "buyer" })));
    }

    public async Task<string> BatchAsync(HttpClient owner, string ownerId, decimal kg, string grade = "a", string unit = "kg")
    {
        var id = Seed.NewId("batch");
        var response = await owner.PostAsJsonAsync("/api/v1/batches", new { id, product = Product, quantity = kg, unit, grade, ownerId });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return id;
    }

    public object Offer(string id, string ownerId, decimal kg, decimal price, string? batchId = null, string? greenhouseId = null,
        string? product = null, string grade = "a") => new
    {
        id, ownerId, product = product ?? Product, grade, quantityKg = kg, pricePerKg = price,
        availableFrom = Today, availableTo = InDays(30), batchId, greenhouseId,
    };

    /// <summary>A batch of <paramref name="kg"/> offered whole at <paramref name="price"/>; answers the offer id.</summary>
    public async Task<string> OfferBatchAsync(HttpClient owner, string ownerId, decimal kg, decimal price)
    {
        var batch = await BatchAsync(owner, ownerId, kg);
        var id = Seed.NewId("offer");
        var response = await owner.PostAsJsonAsync("/api/v1/offers", Offer(id, ownerId, kg, price, batch));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return id;
    }

    public object Demand(string id, string buyerId, decimal kg, decimal maxPrice = 7.5m) =>
        new { id, buyerId, product = Product, grade = "a", quantityKg = kg, maxPricePerKg = maxPrice, deliverBy = InDays(10), county = County };

    public async Task<JsonElement> SupplyAsync(HttpClient client)
    {
        var response = await client.GetAsync($"/api/v1/supply?product={Product}&grade=a&availableBy={InDays(10)}&county={County}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static IReadOnlyList<string> ErrorFields(JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
}
