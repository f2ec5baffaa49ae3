using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AgriChain.Server.Demo;
using AgriChain.Server.Tests.Infrastructure;

namespace AgriChain.Server.Tests.Web;

/// <summary>The demo season: seeded on the first start of a new database, once, and never in Production.</summary>
public sealed class DemoSeasonTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    [Theory]
    [InlineData("Development", null, false, true, true)]
    [InlineData("Development", null, false, false, false)]
    [InlineData("Staging", null, false, true, false)]
    [InlineData("Staging", true, false, true, true)]
    [InlineData("Staging", null, true, false, true)]
    [InlineData("Production", true, true, true, false)]
    public void Plan_FollowsTheSettingsTheEnvironmentAndTheDatabase(string environment, bool? seed, bool force, bool newDatabase, bool seeds)
    {
        var plan = DemoSetup.Decide(new DemoOptions { Seed = seed, Force = force }, environment, () => newDatabase);

        Assert.Equal(seeds, plan.Seed);
    }

    [Fact]
    public void DemoSwitch_BecomesTheForceSetting()
    {
        Assert.Equal(["--urls", "http://localhost:1", "--Demo:Force=true"], DemoOptions.ExpandSwitch(["--urls", "http://localhost:1", "--demo"]));
    }

    [Fact]
    public async Task NewDatabase_GetsTheSeasonOnce_AndARestartOrAForcedSeedAddsNothing()
    {
        var directory = Directory.CreateTempSubdirectory("agrichain-demo-").FullName;
        try
        {
            var first = await StartAsync(directory, "--Demo:Seed=true", seeds: true);
            Assert.True(File.Exists(Path.Combine(directory, "agrichain.db")));
            await StartAsync(directory, "--Demo:Seed=true", seeds: false, first);
            await StartAsync(directory, DemoOptions.Switch, seeds: true, first);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// Starts the built server as its own process on <paramref name="directory"/>'s database (each start is a fresh
    /// process, as an operator's restart is), checks the season, and answers what it counted.
    /// </summary>
    private static async Task<SeasonCounts> StartAsync(string directory, string demoArgument, bool seeds, SeasonCounts? before = null)
    {
        await using var server = ServerProcess.Start(directory, "--environment=Staging", $"--Auth:AdminKeys:0={AgriChainAppFactory.AdminKey}",
            $"--Storage:ConnectionString=Data Source={Path.Combine(directory, "agrichain.db")}", "--Demo:Simulate=false",
            "--Web:CookieSecure=SameAsRequest", demoArgument);
        await server.WaitUntilReadyAsync(Deadline);
        await WaitForOutputAsync(server, "AgriChain demo season (Qijiahe township, Yuanqu county) is ready.");
        Assert.Equal(seeds, server.Output.Contains("Seeding the demo season", StringComparison.Ordinal));
        Assert.Contains(DemoSeason.Keys[0].Token, server.Output, StringComparison.Ordinal);
        using var admin = new HttpClient { BaseAddress = server.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AgriChainAppFactory.AdminKey);

        var park = await admin.GetFromJsonAsync<JsonElement>("/api/v1/farms/jiwang-park");
        Assert.Equal(["jiwang-01", "jiwang-02", "jiwang-03", "jiwang-04"],
            park.GetProperty("greenhouseIds").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal));
        var cold = await admin.GetFromJsonAsync<JsonElement>("/api/v1/greenhouses/jiwang-03");
        Assert.Equal("flowering", cold.GetProperty("stage").GetString());
        Assert.Equal("alert", cold.GetProperty("status").GetString());
        Assert.Equal("temperature-below-floor", Assert.Single(cold.GetProperty("openAlerts").EnumerateArray()).GetProperty("kind").GetString());
        var warm = await admin.GetFromJsonAsync<JsonElement>("/api/v1/greenhouses/jiwang-01");
        Assert.Equal("ok", warm.GetProperty("status").GetString());

        var trace = await admin.GetFromJsonAsync<JsonElement>("/api/v1/batches/xbz-wine-2026-001/trace?direction=upstream");
        Assert.Equal(["xibeizhuang-orchard"], trace.GetProperty("origins").EnumerateArray().Select(o => o.GetProperty("farmId").GetString()!).Distinct());
        Assert.Contains(trace.GetProperty("edges").EnumerateArray(), e => e.GetProperty("kind").GetString() == "transform");

        using var technician = new HttpClient { BaseAddress = server.BaseAddress };
        technician.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DemoSeason.Keys[0].Token);
        Assert.Equal(HttpStatusCode.OK, (await technician.GetAsync("/api/v1/greenhouses/jiwang-01")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await technician.GetAsync("/api/v1/greenhouses/qijiahe-01")).StatusCode);

        var demand = await admin.GetFromJsonAsync<JsonElement>("/api/v1/demands/yuncheng-nectarine-001");
        Assert.NotEqual(0, demand.GetProperty("matches").GetArrayLength());
        if (before is null)
        {
            await CheckWinePagesAsync(server);
        }

        var counts = new SeasonCounts(
            await CountReadingsAsync(admin, "jiwang-01"),
            await CountReadingsAsync(admin, "miaoping-01"),
            (await admin.GetFromJsonAsync<JsonElement>("/api/v1/batches/xbz-persimmon-001")).GetProperty("children").GetArrayLength(),
            (await admin.GetFromJsonAsync<JsonElement>("/api/v1/batches/xbz-wine-2026-001")).GetProperty("quantity").GetDecimal());
        Assert.InRange(counts.SensorReadings, 7 * 288, (7 * 288) + 1);
        Assert.InRange(counts.ManualReadings, 20, 22);
        Assert.Equal(2, counts.Parts);
        Assert.Equal(1360m, counts.WineLitres);
        if (before is not null)
        {
            Assert.Equal(before, counts);
        }

        return counts;
    }

    /// <summary>The wine run's page for its cooperative (the warm fermentation marked), and not for another one.</summary>
    private static async Task CheckWinePagesAsync(ServerProcess server)
    {
        using var xibeizhuang = await SignInAsync(server, DemoSeason.Keys[2].Token);
        using var qianping = await SignInAsync(server, DemoSeason.Keys[1].Token);

        var run = await xibeizhuang.GetStringAsync($"/runs/{DemoSeason.WineRun}");
        var batch = await xibeizhuang.GetStringAsync("/batches/xbz-wine-2026-001");
        var other = await qianping.GetAsync($"/runs/{DemoSeason.WineRun}");

        Assert.Contains("data-step=\"main-fermentation\" data-deviations=\"1\"", run, StringComparison.Ordinal);
        Assert.Contains("data-step=\"sterilisation\" data-deviations=\"0\"", run, StringComparison.Ordinal);
        Assert.Contains($"data-run=\"{DemoSeason.WineRun}\"", batch, StringComparison.Ordinal);
        Assert.Contains("data-origin-farm=\"xibeizhuang-orchard\"", batch, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    private static async Task<HttpClient> SignInAsync(ServerProcess server, string key)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = server.BaseAddress,
        };
        var page = await client.GetStringAsync("/signin");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var response = await client.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["Key"] = key,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    private static async Task WaitForOutputAsync(ServerProcess server, string line)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!server.Output.Contains(line, StringComparison.Ordinal))
        {
            Assert.False(server.HasExited, $"The server exited before printing '{line}':\n{server.Output}");
            Assert.True(DateTime.UtcNow < until, $"The server did not print '{line}' within {Deadline}:\n{server.Output}");
            await Task.Delay(50);
        }
    }

    private static async Task<int> CountReadingsAsync(HttpClient admin, string greenhouseId)
    {
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-30).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        var history = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/greenhouses/{greenhouseId}/readings?from={from}");
        return history.GetProperty("points").GetArrayLength();
    }

    private sealed record SeasonCounts(int SensorReadings, int ManualReadings, int Parts, decimal WineLitres);
}
