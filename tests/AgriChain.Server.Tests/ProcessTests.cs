using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AgriChain.Server.Tests.Infrastructure;

namespace AgriChain.Server.Tests;

/// <summary>The real server process: embedded default, kill -9, SIGTERM, and refusing bad configuration.</summary>
public sealed class ProcessTests : IDisposable
{
    private const string AdminKey = "process-test-admin-key-0123456789";
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);
    private readonly string _directory = Directory.CreateTempSubdirectory("agrichain-process-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task EmbeddedDefault_KeepsAcknowledgedWritesThroughKill9_AndStopsOnSigterm()
    {
        var farm = Seed.NewId("farm");
        var gh = Seed.NewId("gh");
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        await using (var server = ServerProcess.Start(_directory, $"--Auth:AdminKeys:0={AdminKey}"))
        {
            await server.WaitUntilReadyAsync(StartDeadline);
            using var admin = Client(server);
            var coop = await Seed.CooperativeAsync(admin);
            Assert.Equal(HttpStatusCode.Created, (await admin.PutAsJsonAsync($"/api/v1/farms/{farm}", Seed.Farm(coop))).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await admin.PutAsJsonAsync($"/api/v1/greenhouses/{gh}", Seed.Greenhouse(farm))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/v1/greenhouses/{gh}/stage",
                new { stage = "flowering", since = start.AddHours(-1).ToString("O") })).StatusCode);
            var temperatures = Enumerable.Repeat(8.5, 30).Prepend(12.0).Append(11.0).ToList();
            var readings = temperatures.Select((t, i) => new { at = start.AddMinutes(i).ToString("O"), temperatureC = t }).ToList();
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/v1/greenhouses/{gh}/readings", new { readings })).StatusCode);
            await server.KillAsync();
        }

        Assert.True(File.Exists(Path.Combine(_directory, "data", "agrichain.db")), "The embedded database is created under ./data/.");

        await using (var server = ServerProcess.Start(_directory, $"--Auth:AdminKeys:0={AdminKey}"))
        {
            await server.WaitUntilReadyAsync(StartDeadline);
            using var admin = Client(server);
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/v1/farms/{farm}")).StatusCode);
            var greenhouse = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/greenhouses/{gh}");
            Assert.Equal(30, greenhouse.GetProperty("coldExposure").GetProperty("minutesBelowFloor").GetDouble());
            Assert.Equal(45, greenhouse.GetProperty("coldExposure").GetProperty("degreeMinutesBelowFloor").GetDouble());
            var alerts = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/greenhouses/{gh}/alerts?state=closed");
            Assert.Equal(45, Assert.Single(alerts.GetProperty("items").EnumerateArray()).GetProperty("degreeMinutes").GetDouble());
            var raw = await admin.GetFromJsonAsync<JsonElement>(
                $"/api/v1/greenhouses/{gh}/readings?from={Uri.EscapeDataString(start.AddMinutes(-1).ToString("O"))}&to={Uri.EscapeDataString(start.AddHours(1).ToString("O"))}");
            Assert.Equal(32, raw.GetProperty("points").GetArrayLength());
            using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/farms/{farm}")).StatusCode);

            server.Terminate();
            Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }
    }

    [Theory]
    [InlineData("Storage:Provider", "--Storage:Provider=Oracle", $"--Auth:AdminKeys:0={AdminKey}")]
    [InlineData("Storage:ConnectionString", "--Storage:Provider=PostgreSql", $"--Auth:AdminKeys:0={AdminKey}")]
    [InlineData("Cluster:Mode", "--Cluster:Mode=Carrier-Pigeon", $"--Auth:AdminKeys:0={AdminKey}")]
    [InlineData("Auth:AdminKeys", "--environment=Production", "--Storage:Provider=Sqlite")]
    public async Task BadConfiguration_StopsTheProcessNamingTheKey(string key, string argument, string other)
    {
        await using var server = ServerProcess.Start(_directory, argument, other);

        var exitCode = await server.WaitForExitAsync(StartDeadline);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(key, server.Output, StringComparison.Ordinal);
    }

    private static HttpClient Client(ServerProcess server)
    {
        var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }
}
