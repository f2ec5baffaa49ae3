using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using AgriChain.Cluster.Tests.Infrastructure;
using AgriChain.Contracts.Greenhouses;
using AgriChain.Grains.Diagnostics;
using AgriChain.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Storage;

namespace AgriChain.Cluster.Tests;

/// <summary>Three silo processes on one PostgreSQL: any silo serves the API, and they all reach the same grains.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TopologyTests(ClusterEnvironment environment)
{
    [Fact]
    public async Task EverySilo_ServesTheApi_AndReachesTheSameGrains()
    {
        var cluster = await environment.SharedClusterAsync();
        var http = cluster.Silos.Select(SiloCluster.Http).ToList();
        Assert.Equal(3, (await cluster.ActiveSilosAsync()).Count);

        var cooperative = await Api.CooperativeAsync(http[0]);
        var farm = await Api.FarmAsync(http[1], cooperative);
        var greenhouses = Enumerable.Range(0, 9).Select(_ => Api.NewId("gh")).ToList();
        for (var i = 0; i < greenhouses.Count; i++)
        {
            await Api.PutGreenhouseAsync(http[i % 3], greenhouses[i], farm, name: $"House {i.ToString(CultureInfo.InvariantCulture)}");
        }

        // A change made through one silo is what the others answer: one activation per grain, wherever it lives.
        await Api.PutGreenhouseAsync(http[2], greenhouses[0], farm, name: "Renamed through silo 3");
        foreach (var client in http)
        {
            var farmView = await Api.GetJsonAsync(client, $"/api/v1/farms/{farm}");
            Assert.Equal(greenhouses.Order(StringComparer.Ordinal),
                farmView.GetProperty("greenhouseIds").EnumerateArray().Select(g => g.GetString()!).Order(StringComparer.Ordinal));
            for (var i = 0; i < greenhouses.Count; i++)
            {
                var view = await Api.GetJsonAsync(client, $"/api/v1/greenhouses/{greenhouses[i]}");
                Assert.Equal(i == 0 ? "Renamed through silo 3" : $"House {i.ToString(CultureInfo.InvariantCulture)}", view.GetProperty("name").GetString());
            }
        }

        foreach (var id in greenhouses)
        {
            var grain = cluster.Client.GetGrain<IGreenhouseGrain>(id);
            Assert.Equal(1, await cluster.Management.GetGrainActivationCount((GrainReference)grain));
            Assert.NotNull(await cluster.HostOfAsync(grain));
        }

        // Membership lives in PostgreSQL: three active rows for this cluster, and a version raised by every change.
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var members = new NpgsqlCommand(
            "SELECT COUNT(*) FILTER (WHERE Status = 3), (SELECT Version FROM OrleansMembershipVersionTable WHERE DeploymentId = @cluster) FROM OrleansMembershipTable WHERE DeploymentId = @cluster",
            connection);
        members.Parameters.AddWithValue("cluster", cluster.ClusterId);
        await using var reader = await members.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(3L, reader.GetInt64(0));

        // Each silo inserted its row (1) and went Joining -> Active (at least 1 more), each a bump of the version.
        Assert.True(reader.GetInt32(1) >= 6, $"The membership version is {reader.GetInt32(1)}.");
    }

    [Fact]
    public async Task ReadingsPostedThroughSilo1_AreReadThroughSilo3()
    {
        var cluster = await environment.SharedClusterAsync();
        var (silo1, silo2, silo3) = (SiloCluster.Http(cluster.Silos[0]), SiloCluster.Http(cluster.Silos[1]), SiloCluster.Http(cluster.Silos[2]));
        var cooperative = await Api.CooperativeAsync(silo1);
        var farm = await Api.FarmAsync(silo1, cooperative);
        var greenhouse = Api.NewId("gh");
        await Api.PutGreenhouseAsync(silo1, greenhouse, farm);
        // Recent enough that the greenhouse does not fall silent while the test runs.
        var first = DateTimeOffset.UtcNow.AddMinutes(-85);
        first = new DateTimeOffset(first.Year, first.Month, first.Day, first.Hour, first.Minute, 0, TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, (await silo2.PutAsJsonAsync($"/api/v1/greenhouses/{greenhouse}/stage",
            new { stage = "flowering", since = first.AddHours(-1).ToString("O", CultureInfo.InvariantCulture) })).StatusCode);

        // An hour at 12.5 °C, then twenty minutes below the 10 °C flowering floor: one alert opens.
        using (var warm = await Api.PostReadingsAsync(silo1, greenhouse, Api.Readings(first, 60, "s1")))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        using (var cold = await Api.PostReadingsAsync(silo1, greenhouse, Api.Readings(first.AddMinutes(60), 20, "s1", temperatureC: 8.0)))
        {
            Assert.Equal(HttpStatusCode.OK, cold.StatusCode);
            var ingest = await cold.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            Assert.Equal(20, ingest.GetProperty("accepted").GetInt32());
            Assert.Equal(1, ingest.GetProperty("openedAlerts").GetInt32());
        }

        var raw = await Api.RawReadingsAsync(silo3, greenhouse, first.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(Enumerable.Range(0, 80).Select(m => (first.AddMinutes(m), "s1")), raw);
        var view = await Api.GetJsonAsync(silo3, $"/api/v1/greenhouses/{greenhouse}");
        Assert.Equal(first.AddMinutes(79), view.GetProperty("latest").GetProperty("at").GetDateTimeOffset());
        Assert.Equal("alert", view.GetProperty("status").GetString());
        var alerts = await Api.GetJsonAsync(silo3, $"/api/v1/greenhouses/{greenhouse}/alerts?state=open");
        Assert.Equal("temperature-below-floor", Assert.Single(alerts.GetProperty("items").EnumerateArray()).GetProperty("kind").GetString());

        // The reading store, grain state and membership of every silo share the one PostgreSQL database.
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT COUNT(*) FROM agrichain_readings WHERE greenhouse_id = @id", connection);
        count.Parameters.AddWithValue("id", greenhouse);
        Assert.Equal(80L, await count.ExecuteScalarAsync());
        await using var state = new NpgsqlCommand("SELECT COUNT(*) FROM OrleansStorage WHERE GrainIdExtensionString = @id", connection);
        state.Parameters.AddWithValue("id", greenhouse);
        Assert.True((long)(await state.ExecuteScalarAsync())! >= 1, "The greenhouse's grain state is stored in PostgreSQL.");
    }

    [Fact]
    public async Task MetricsOfTheDashboardAndAlerts_AreWhatTheSilosExport()
    {
        var cluster = await environment.SharedClusterAsync();
        var http = SiloCluster.Http(cluster.Silos[0]);
        var cooperative = await Api.CooperativeAsync(http);
        var farm = await Api.FarmAsync(http, cooperative);
        var greenhouse = Api.NewId("gh");
        await Api.PutGreenhouseAsync(http, greenhouse, farm);
        using (var posted = await Api.PostReadingsAsync(http, greenhouse, Api.Readings(DateTimeOffset.UtcNow.AddMinutes(-30), 10, "m1")))
        {
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        await Api.CreateBatchAsync(http, Api.NewId("batch"), cooperative, 10m);

        var exported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var silo in cluster.Silos)
        {
            var text = await SiloCluster.Http(silo).GetStringAsync(new Uri("/metrics", UriKind.Relative));
            exported.UnionWith(text.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('{', ' ')[0]));
        }

        // Counted only when something goes wrong (or, for alerts, when a greenhouse leaves its range): these must be
        // instruments the code declares, under the names the exporter gives them.
        var declared = DeclaredEventMetrics();
        var used = DeployFiles.Yaml("prometheus", "alerts.yml").Single().Sequence("groups")
            .SelectMany(g => g.Sequence("rules")).SelectMany(r => DeployFiles.MetricsIn(r.Scalar("expr")))
            .Concat(DeployFiles.Json("grafana", "dashboards", "agrichain.json").GetProperty("panels").EnumerateArray()
                .Where(p => p.TryGetProperty("targets", out _))
                .SelectMany(p => p.GetProperty("targets").EnumerateArray())
                .SelectMany(t => DeployFiles.MetricsIn(t.GetProperty("expr").GetString()!)))
            .ToHashSet(StringComparer.Ordinal);

        var unknown = used.Where(m => !exported.Contains(m) && !declared.Contains(m)).Order(StringComparer.Ordinal).ToList();
        Assert.True(unknown.Count == 0, $"The dashboard or alerts use metrics no silo exports: {string.Join(", ", unknown)}");
    }

    /// <summary>
    /// Metrics that appear only once something happens: AgriChain's instruments as declared (listened to here), and
    /// Orleans' error counters by the instrument names compiled into its assemblies.
    /// </summary>
    private static HashSet<string> DeclaredEventMetrics()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        using (var listener = new MeterListener())
        {
            listener.InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == AgriChainInstruments.MeterName)
                {
                    names.Add(instrument.Name.Replace('.', '_') + "_total");
                }
            };
            listener.Start();
            using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
            var meters = services.GetRequiredService<IMeterFactory>();
            _ = new AgriChainInstruments(meters);
            _ = new ClusterRetryInstruments(meters);
        }

        // String literals are UTF-16 in an assembly, at an even or an odd offset.
        var orleans = string.Join("\n", new[] { typeof(SiloAddress), typeof(Orleans.Runtime.OrleansMessageRejectionException), typeof(ISiloStatusOracle), typeof(InconsistentStateException) }
            .Select(t => File.ReadAllBytes(t.Assembly.Location))
            .SelectMany(bytes => new[] { Encoding.Unicode.GetString(bytes), Encoding.Unicode.GetString(bytes, 1, bytes.Length - 1) }));
        foreach (var counter in new[] { "orleans-storage-write-errors", "orleans-storage-read-errors", "orleans-messaging-rejected" })
        {
            Assert.Contains(counter, orleans, StringComparison.Ordinal);
            names.Add(counter.Replace('-', '_') + "_total");
        }

        return names;
    }
}
