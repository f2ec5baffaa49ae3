using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AgriChain.Cluster.Tests.Infrastructure;

/// <summary>The HTTP API as the tests use it, through any silo's client; each step asserts its status.</summary>
public static class Api
{
    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];

    public static async Task<string> CooperativeAsync(HttpClient http)
    {
        var id = NewId("coop");
        await PutAsync(http, $"/api/v1/cooperatives/{id}", new { name = "Xibeizhuang Co-op", village = "Xibeizhuang", township = "Dongzhen", county = "Wenxi" });
        return id;
    }

    public static async Task<string> FarmAsync(HttpClient http, string cooperativeId)
    {
        var id = NewId("farm");
        await PutAsync(http, $"/api/v1/farms/{id}", new { name = "Nectarine park", cooperativeId, village = "Xibeizhuang", township = "Dongzhen", county = "Wenxi", kind = "greenhouse" });
        return id;
    }

    public static async Task PutGreenhouseAsync(HttpClient http, string id, string farmId, string name = "House 7") =>
        await PutAsync(http, $"/api/v1/greenhouses/{id}", new { farmId, name, crop = "nectarine", variety = "Zhongyou 4", areaMu = 1.2m });

    public static async Task CreateBatchAsync(HttpClient http, string id, string ownerId, decimal quantityKg)
    {
        var response = await http.PostAsJsonAsync("/api/v1/batches", new { id, product = "nectarine", quantity = quantityKg, unit = "kg", grade = "a", ownerId });
        Assert.True(response.StatusCode == HttpStatusCode.Created,
            $"POST /api/v1/batches {id} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>One reading per minute from <paramref name="first"/>, as JSON.</summary>
    public static object Readings(DateTimeOffset first, int count, string sensorId, double temperatureC = 12.5) => new
    {
        readings = Enumerable.Range(0, count).Select(i => new
        {
            at = first.AddMinutes(i).ToString("O", CultureInfo.InvariantCulture),
            temperatureC = temperatureC + (i % 7 * 0.1),
            humidityPct = 70.0,
            sensorId,
        }).ToList(),
    };

    public static Task<HttpResponseMessage> PostReadingsAsync(HttpClient http, string greenhouseId, object readings) =>
        http.PostAsJsonAsync($"/api/v1/greenhouses/{greenhouseId}/readings", readings);

    /// <summary>The raw readings of a greenhouse between two times, as (time, sensor) pairs.</summary>
    public static async Task<IReadOnlyList<(DateTimeOffset At, string SensorId)>> RawReadingsAsync(
        HttpClient http, string greenhouseId, DateTimeOffset from, DateTimeOffset to)
    {
        var uri = $"/api/v1/greenhouses/{greenhouseId}/readings?from={Uri.EscapeDataString(from.ToString("O", CultureInfo.InvariantCulture))}"
            + $"&to={Uri.EscapeDataString(to.ToString("O", CultureInfo.InvariantCulture))}&bucket=raw";
        var history = await GetJsonAsync(http, uri);
        Assert.False(history.GetProperty("truncated").GetBoolean(), $"{uri} was truncated");
        return history.GetProperty("points").EnumerateArray()
            .Select(p => (p.GetProperty("at").GetDateTimeOffset(), p.GetProperty("sensorId").GetString()!))
            .ToList();
    }

    public static Task<HttpResponseMessage> SplitAsync(HttpClient http, string batchId, IEnumerable<(string Id, decimal Quantity)> parts) =>
        http.PostAsJsonAsync($"/api/v1/batches/{batchId}/split", new { parts = parts.Select(p => new { id = p.Id, quantity = p.Quantity }).ToList() });

    public static async Task<JsonElement> GetJsonAsync(HttpClient http, string uri)
    {
        var response = await http.GetAsync(new Uri(uri, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {uri} through {http.BaseAddress} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task PutAsync(HttpClient http, string uri, object body)
    {
        var response = await http.PutAsJsonAsync(uri, body);
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK,
            $"PUT {uri} through {http.BaseAddress} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
