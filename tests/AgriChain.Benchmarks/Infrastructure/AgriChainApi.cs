using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace AgriChain.Benchmarks.Infrastructure;

/// <summary>HTTP clients for the servers under test and the master data the scenarios need, built through the API.</summary>
internal static class AgriChainApi
{
    public const string AdminKey = "benchmark-admin-key-0123456789abcdef";
    public const string Cooperative = "bench-coop";
    public const int GreenhousesPerFarm = 100;

    /// <summary>A client with its own connection pool of at most <paramref name="connections"/> connections.</summary>
    public static HttpClient Client(Uri baseAddress, int connections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(120) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    public static string FarmId(int index) => string.Create(CultureInfo.InvariantCulture, $"bench-farm-{index:D4}");

    public static string ProbeId(int index) => string.Create(CultureInfo.InvariantCulture, $"bench-probe-{index:D2}");

    /// <summary>
    /// The cooperative, <paramref name="greenhouses"/> greenhouses (100 a farm) and <paramref name="probes"/> probe
    /// greenhouses on a farm of their own. The probes and the first farm's greenhouses are put in flowering since
    /// <paramref name="stageSince"/>; the others stay without a stage (see <see cref="StagedGreenhouses"/>). Returns
    /// how long the stage PUTs took on average, in milliseconds.
    /// </summary>
    public static async Task<double> SeedAsync(HttpClient admin, int greenhouses, int probes, DateTimeOffset stageSince)
    {
        await PutAsync(admin, $"/api/v1/cooperatives/{Cooperative}",
            new { name = "Benchmark Co-op", village = "Xibeizhuang", township = "Dongzhen", county = "Wenxi" });
        var farms = (greenhouses + GreenhousesPerFarm - 1) / GreenhousesPerFarm;
        await ForEachAsync(Enumerable.Range(0, farms + 1), i => PutAsync(admin, $"/api/v1/farms/{FarmId(i)}",
            new { name = "Benchmark farm", cooperativeId = Cooperative, village = "Xibeizhuang", township = "Dongzhen", county = "Wenxi", kind = "greenhouse" }));
        var all = Enumerable.Range(0, greenhouses).Select(i => (Id: ReadingFeed.GreenhouseId(i), Farm: FarmId(i / GreenhousesPerFarm)))
            .Concat(Enumerable.Range(0, probes).Select(i => (Id: ProbeId(i), Farm: FarmId(farms))))
            .ToList();
        await ForEachAsync(all, g => PutAsync(admin, $"/api/v1/greenhouses/{g.Id}",
            new { farmId = g.Farm, name = "House", crop = "nectarine", variety = "Zhongyou 4", areaMu = 1.2m }));
        var staged = all.Take(Math.Min(StagedGreenhouses, greenhouses)).Concat(all.Skip(greenhouses)).ToList();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await ForEachAsync(staged, g => PutAsync(admin, $"/api/v1/greenhouses/{g.Id}/stage",
            new { stage = "flowering", since = stageSince.ToString("O", CultureInfo.InvariantCulture) }, HttpStatusCode.OK), parallelism: 4);
        return System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds / staged.Count;
    }

    /// <summary>
    /// How many of the benchmark greenhouses are in flowering, where the gateways' dips open and close below-floor
    /// alerts; the others have no stage and are judged against open thresholds (the scenarios' alert mix).
    /// </summary>
    public const int StagedGreenhouses = 100;

    public static async Task PutAsync(HttpClient client, string path, object body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var response = await client.PutAsJsonAsync(new Uri(path, UriKind.Relative), body);
        if (response.StatusCode != expected && response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"PUT {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    public static async Task<JsonElement> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Posts a readings body and checks that every reading was accepted; returns how many were.</summary>
    public static async Task<int> PostReadingsAsync(HttpClient client, string greenhouseId, ReadOnlyMemory<byte> body, int expected)
    {
        using var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync(new Uri($"/api/v1/greenhouses/{greenhouseId}/readings", UriKind.Relative), content);
        var answer = await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST readings of {greenhouseId} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(answer)}");
        }

        var reader = new Utf8JsonReader(answer);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("accepted"u8) && reader.Read())
            {
                var accepted = reader.GetInt32();
                return accepted == expected
                    ? accepted
                    : throw new InvalidOperationException($"POST readings of {greenhouseId} accepted {accepted} of {expected}.");
            }
        }

        throw new InvalidOperationException($"POST readings of {greenhouseId} did not say how many it accepted.");
    }

    public static Task ForEachAsync<T>(IEnumerable<T> items, Func<T, Task> action, int parallelism = 16) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (item, _) => await action(item));
}
