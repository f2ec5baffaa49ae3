using System.Globalization;
using System.Net.Http.Headers;
using AgriChain.Storage.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;
using Orleans.Runtime;

namespace AgriChain.Cluster.Tests.Infrastructure;

/// <summary>
/// Several processes of the built server forming one cluster (<c>Cluster:Mode=AdoNet</c>) on a database of the
/// private PostgreSQL, with membership timeouts short enough that a killed silo is declared dead in about two
/// seconds, plus an Orleans client (ADO.NET gateway discovery on the same database) through which tests ask the
/// cluster's management grain where grains live and which silos are active.
/// </summary>
public sealed class SiloCluster : IAsyncDisposable
{
    public const string AdminKey = "cluster-test-admin-key-0123456789abcdef";
    public const string ServiceId = "agrichain-cluster-tests";

    /// <summary>How long a silo may take from process start to ready, on a busy two-core machine.</summary>
    public static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);

    /// <summary>The fast failure detection the tests run with (Orleans' defaults stay in production).</summary>
    public static readonly IReadOnlyDictionary<string, string> FastMembership = new Dictionary<string, string>
    {
        ["Cluster:Membership:ProbeTimeout"] = "00:00:01",
        ["Cluster:Membership:NumMissedProbesLimit"] = "2",
        ["Cluster:Membership:NumVotesForDeathDeclaration"] = "1",
        ["Cluster:Membership:TableRefreshTimeout"] = "00:00:02",
        ["Cluster:Membership:IAmAliveTablePublishTimeout"] = "00:00:05",
    };

    private readonly List<SiloProcess> _silos = [];
    private readonly string _directory = Directory.CreateTempSubdirectory("agrichain-cluster-").FullName;
    private IHost? _clientHost;

    private SiloCluster(string connectionString, string clusterId)
    {
        ConnectionString = connectionString;
        ClusterId = clusterId;
    }

    /// <summary>The database every silo uses (the application role, not a superuser).</summary>
    public string ConnectionString { get; }

    public string ClusterId { get; }

    public IReadOnlyList<SiloProcess> Silos => _silos;

    public IClusterClient Client => _clientHost?.Services.GetRequiredService<IClusterClient>()
        ?? throw new InvalidOperationException("The cluster client is not connected.");

    public IManagementGrain Management => Client.GetGrain<IManagementGrain>(0);

    /// <summary>Starts <paramref name="silos"/> silos on a fresh database and waits until all are active members.</summary>
    public static async Task<SiloCluster> StartAsync(PostgresServer server, string name, int silos)
    {
        var connectionString = await server.CreateDatabaseAsync(name);
        var cluster = new SiloCluster(connectionString, $"{name}-{Guid.NewGuid():N}"[..24]);
        try
        {
            var started = Enumerable.Range(0, silos).Select(_ => cluster.Launch()).ToList();
            await Task.WhenAll(started.Select(silo => silo.WaitUntilReadyAsync(StartDeadline)));
            await cluster.ConnectClientAsync();
            await cluster.WaitForActiveSilosAsync(started, TimeSpan.FromSeconds(30));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more silo process of this cluster (not waiting for it).</summary>
    public SiloProcess Launch()
    {
        var settings = new Dictionary<string, string>(FastMembership)
        {
            ["Storage:Provider"] = "PostgreSql",
            ["Storage:ConnectionString"] = new NpgsqlConnectionStringBuilder(ConnectionString) { MaxPoolSize = 20 }.ConnectionString,
            ["Cluster:Mode"] = "AdoNet",
            ["Cluster:ClusterId"] = ClusterId,
            ["Cluster:ServiceId"] = ServiceId,
            ["Cluster:AdvertisedAddress"] = "127.0.0.1",
            ["Auth:AdminKeys:0"] = AdminKey,

            // The working directory has no appsettings.json: keep the output to what helps when a test fails.
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:AgriChain"] = "Information",
        };
        var silo = SiloProcess.Start($"silo{(_silos.Count + 1).ToString(CultureInfo.InvariantCulture)}", _directory, settings);
        _silos.Add(silo);
        return silo;
    }

    /// <summary>An HTTP client of <paramref name="silo"/> presenting the admin key.</summary>
    public static HttpClient Http(SiloProcess silo)
    {
        var client = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(90) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    /// <summary>The process whose silo has <paramref name="address"/>, by silo port.</summary>
    public SiloProcess? ProcessOf(SiloAddress? address) =>
        address is null ? null : _silos.FirstOrDefault(s => s.SiloPort == address.Endpoint.Port);

    /// <summary>Where the grain is active now (no activation is made), or null.</summary>
    public async Task<SiloProcess?> HostOfAsync(IAddressable grain) => ProcessOf(await Management.GetActivationAddress(grain));

    /// <summary>The silos the membership table lists as active, as processes.</summary>
    public async Task<IReadOnlyList<SiloProcess>> ActiveSilosAsync()
    {
        var hosts = await Management.GetHosts(onlyActive: true);
        return hosts.Where(h => h.Value == SiloStatus.Active).Select(h => ProcessOf(h.Key)).OfType<SiloProcess>().ToList();
    }

    /// <summary>Waits until exactly <paramref name="expected"/> are the active silos.</summary>
    public Task WaitForActiveSilosAsync(IReadOnlyCollection<SiloProcess> expected, TimeSpan timeout) =>
        Poll.UntilAsync(
            ActiveSilosAsync,
            active => active.Count == expected.Count && expected.All(active.Contains),
            timeout,
            $"the active silos to be {string.Join(", ", expected.Select(s => s.Name))}",
            active => active is null ? "(none)" : string.Join(", ", active.Select(s => s.Name)),
            Diagnostics);

    /// <summary>The output of every silo, for failure messages.</summary>
    public string Diagnostics() => string.Join("\n", _silos.Select(s => s.OutputTail(4_000)));

    public async ValueTask DisposeAsync()
    {
        if (_clientHost is not null)
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _clientHost.StopAsync(stopping.Token);
            }
            catch (OperationCanceledException)
            {
                // The silos are going away anyway.
            }

            _clientHost.Dispose();
        }

        await Task.WhenAll(_silos.Select(s => s.DisposeAsync().AsTask()));
        Directory.Delete(_directory, recursive: true);

        // Kept next to the test binaries until the next build, for a failure the message does not explain.
        var logs = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "silo-logs", ClusterId)).FullName;
        foreach (var silo in _silos)
        {
            await File.WriteAllTextAsync(Path.Combine(logs, $"{silo.Name}.log"), silo.Output);
        }
    }

    private async Task ConnectClientAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = ClusterId;
                o.ServiceId = ServiceId;
            });
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = ConnectionString;
            });
        });
        _clientHost = builder.Build();
        using var connecting = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _clientHost.StartAsync(connecting.Token);
    }
}
