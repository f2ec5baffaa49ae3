using System.Net;
using System.Net.Sockets;
using AgriChain.Grains.Diagnostics;
using AgriChain.Storage;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace AgriChain.Server.Hosting;

public static class SiloHostingExtensions
{
    private static readonly HashSet<string> KnownClusterKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        nameof(AgriChainClusterOptions.Mode),
        nameof(AgriChainClusterOptions.SiloPort),
        nameof(AgriChainClusterOptions.GatewayPort),
        nameof(AgriChainClusterOptions.ClusterId),
        nameof(AgriChainClusterOptions.ServiceId),
        nameof(AgriChainClusterOptions.AdvertisedAddress),
        nameof(AgriChainClusterOptions.KubernetesHosting),
        nameof(AgriChainClusterOptions.Retry),
        "Membership",
    };

    /// <summary>
    /// Co-hosts the Orleans silo: clustering per <c>Cluster:*</c> (one localhost silo, or ADO.NET clustering on
    /// PostgreSQL with the ports, advertised address and membership timeouts configured), grain storage and reminders
    /// per <c>Storage:*</c>, activity propagation across grain calls, and the dashboard. Invalid settings stop the
    /// host here, naming the key.
    /// </summary>
    public static WebApplicationBuilder AddAgriChainSilo(this WebApplicationBuilder builder)
    {
        var cluster = ReadClusterOptions(builder.Configuration);
        ClusterMembershipSettings.Read(builder.Configuration);
        var advertised = cluster.IsAdoNet ? ResolveAdvertisedAddress(cluster.AdvertisedAddress) : null;

        builder.Services.AddOptions<AgriChainClusterOptions>().BindConfiguration(AgriChainClusterOptions.SectionName);
        builder.Services.AddSingleton<IValidateOptions<AgriChainClusterOptions>, AgriChainClusterOptionsValidator>();
        builder.Services.AddAgriChainStorage();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AgriChainInstruments>();
        builder.Services.AddAgriChainClusterRetry();

        // SIGTERM: Kestrel stops accepting, drains in-flight requests, then the silo leaves the cluster gracefully
        // (its grains deactivate and hand over in well under a second).
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        builder.UseOrleans(silo =>
        {
            if (cluster.IsAdoNet)
            {
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = cluster.ClusterId;
                    o.ServiceId = cluster.ServiceId;
                });
                silo.Configure<EndpointOptions>(o =>
                {
                    o.SiloPort = cluster.SiloPort;
                    o.GatewayPort = cluster.GatewayPort;
                    o.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, cluster.SiloPort);
                    o.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Any, cluster.GatewayPort);

                    // Left unset under Kubernetes hosting, which advertises the pod's IP.
                    var address = advertised ?? (cluster.KubernetesHosting ? null : FirstNonLoopbackIPv4() ?? IPAddress.Loopback);
                    if (address is not null)
                    {
                        o.AdvertisedIPAddress = address;
                    }
                });
                silo.UseAgriChainAdoNetClustering();
                if (cluster.KubernetesHosting)
                {
                    silo.UseKubernetesHosting();
                }
            }
            else
            {
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId,
                    clusterId: cluster.ClusterId);
            }

            // Already checked by ClusterMembershipSettings.Read; unset keys keep Orleans' defaults.
            silo.Services.AddOptions<ClusterMembershipOptions>().BindConfiguration(ClusterMembershipSettings.SectionName);
            silo.UseAgriChainStorage();
            if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            {
                // Grain-call spans are recorded only when traces are exported (see AddAgriChainTelemetry).
                silo.AddActivityPropagation();
            }

            silo.AddDashboard();
        });
        return builder;
    }

    /// <summary>Binds and checks <c>Cluster:*</c> before the silo is configured from it.</summary>
    internal static AgriChainClusterOptions ReadClusterOptions(IConfiguration configuration)
    {
        var section = configuration.GetSection(AgriChainClusterOptions.SectionName);
        var unknown = section.GetChildren()
            .Select(child => child.Key)
            .Where(key => !KnownClusterKeys.Contains(key))
            .Select(key => $"Cluster:{key} is not a setting AgriChain knows (known: {string.Join(", ", KnownClusterKeys.Order(StringComparer.Ordinal))}).")
            .ToList();
        unknown.AddRange(section.GetSection("Retry").GetChildren()
            .Where(child => child.Key is not (nameof(ClusterRetryOptions.Deadline) or nameof(ClusterRetryOptions.RetryAfter)))
            .Select(child => $"Cluster:Retry:{child.Key} is not a setting AgriChain knows (known: Deadline, RetryAfter)."));

        AgriChainClusterOptions cluster;
        try
        {
            cluster = section.Get<AgriChainClusterOptions>() ?? new AgriChainClusterOptions();
        }
        catch (InvalidOperationException exception)
        {
            throw new OptionsValidationException(AgriChainClusterOptions.SectionName, typeof(AgriChainClusterOptions),
                [.. unknown, $"A Cluster:* value has the wrong form: {exception.Message}"]);
        }

        var storage = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        var validation = new AgriChainClusterOptionsValidator(Options.Create(storage)).Validate(null, cluster);
        var failures = validation.Failed ? [.. unknown, .. validation.Failures] : unknown;
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(AgriChainClusterOptions.SectionName, typeof(AgriChainClusterOptions), failures);
        }

        return cluster;
    }
    /// <summary>An IP address as given, or a host name resolved now (IPv4 preferred); null when not configured.</summary>
    private static IPAddress? ResolveAdvertisedAddress(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return null;
        }

        var value = configured.Trim();
        if (IPAddress.TryParse(value, out var address))
        {
            return address;
        }

        try
        {
            var addresses = Dns.GetHostAddresses(value);
            return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? addresses.FirstOrDefault()
                ?? throw new SocketException((int)SocketError.HostNotFound);
        }
        catch (SocketException exception)
        {
            throw new OptionsValidationException(AgriChainClusterOptions.SectionName, typeof(AgriChainClusterOptions),
                [$"Cluster:AdvertisedAddress '{value}' does not resolve to an IP address: {exception.Message}"]);
        }
    }

    /// <summary>What Orleans itself would advertise without an address: the first non-loopback IPv4 address that is up.</summary>
    private static IPAddress? FirstNonLoopbackIPv4() =>
        System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(nic => nic.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up)
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
}
