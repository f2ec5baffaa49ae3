using System.Net;
using AgriChain.Storage;
using Microsoft.Extensions.Options;

namespace AgriChain.Server.Hosting;

/// <summary>How the silo finds its cluster, section <c>Cluster</c>.</summary>
public sealed class AgriChainClusterOptions
{
    public const string SectionName = "Cluster";

    /// <summary>The <c>Localhost</c> mode: one silo, embedded.</summary>
    public const string LocalhostMode = "Localhost";

    /// <summary>The <c>AdoNet</c> mode: several silos sharing a membership table on PostgreSQL.</summary>
    public const string AdoNetMode = "AdoNet";

    /// <summary><c>Localhost</c> (default: one silo, embedded) or <c>AdoNet</c> (several silos on PostgreSQL).</summary>
    public string Mode { get; set; } = LocalhostMode;

    /// <summary>Silo-to-silo port; default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port; default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Orleans cluster id; default <c>agrichain</c>. Silos with the same id form one cluster.</summary>
    public string ClusterId { get; set; } = "agrichain";

    /// <summary>Orleans service id, which keys grain state and reminders; default <c>agrichain</c>.</summary>
    public string ServiceId { get; set; } = "agrichain";

    /// <summary>
    /// The address other silos reach this silo at (<c>AdoNet</c> mode only): an IP address, or a host name resolved
    /// once at start. Default: none, and then Orleans takes the first non-loopback IPv4 address of the machine, or
    /// the pod's IP under <see cref="KubernetesHosting"/>. The silo and gateway ports listen on every interface.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>
    /// Use Orleans' Kubernetes hosting (<c>AdoNet</c> mode only): silo name and address from the pod
    /// (<c>POD_NAME</c>, <c>POD_IP</c>, <c>POD_NAMESPACE</c>), and silos whose pod was deleted are declared dead at
    /// once. Default <see langword="false"/>.
    /// </summary>
    public bool KubernetesHosting { get; set; }

    /// <summary>How HTTP requests ride out a silo failure, section <c>Cluster:Retry</c>.</summary>
    public ClusterRetryOptions Retry { get; set; } = new();

    /// <summary>Whether <see cref="Mode"/> is <c>AdoNet</c>.</summary>
    public bool IsAdoNet => string.Equals(Mode?.Trim(), AdoNetMode, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <see cref="Mode"/> is <c>Localhost</c>.</summary>
    public bool IsLocalhost => string.Equals(Mode?.Trim(), LocalhostMode, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Retries of idempotent HTTP requests whose grain call failed because a silo died or the cluster was changing,
/// section <c>Cluster:Retry</c>.
/// </summary>
public sealed class ClusterRetryOptions
{
    /// <summary>
    /// How long a request may keep retrying from when it arrived; after that it answers 503. Default 30 s, enough for
    /// Orleans' default failure detection; at most 5 minutes.
    /// </summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The <c>Retry-After</c> a 503 answers with, rounded up to whole seconds. Default 5 s.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Checks <see cref="AgriChainClusterOptions"/> at start, across sections where a rule needs it (the storage
/// provider); every message names the key at fault.
/// </summary>
public sealed class AgriChainClusterOptionsValidator(IOptions<StorageOptions> storage) : IValidateOptions<AgriChainClusterOptions>
{
    private static readonly TimeSpan MaxDeadline = TimeSpan.FromMinutes(5);

    public ValidateOptionsResult Validate(string? name, AgriChainClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.IsAdoNet)
        {
            if (!StorageOptions.TryParseProvider(storage.Value.Provider, out var provider) || provider != StorageProvider.PostgreSql)
            {
                failures.Add($"Cluster:Mode=AdoNet needs Storage:Provider=PostgreSql (was '{storage.Value.Provider}'): "
                    + "the silos share membership, grain state and reminders through one PostgreSQL database.");
            }
        }
        else if (!options.IsLocalhost)
        {
            failures.Add($"Cluster:Mode must be Localhost or AdoNet (was '{options.Mode}').");
        }

        if (options.SiloPort is < 1 or > 65535)
        {
            failures.Add($"Cluster:SiloPort must be a TCP port between 1 and 65535 (was {options.SiloPort}).");
        }

        if (options.GatewayPort is < 1 or > 65535 || options.GatewayPort == options.SiloPort)
        {
            failures.Add($"Cluster:GatewayPort must be a TCP port between 1 and 65535, other than Cluster:SiloPort (was {options.GatewayPort}).");
        }

        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            failures.Add("Cluster:ClusterId must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceId))
        {
            failures.Add("Cluster:ServiceId must not be empty.");
        }

        if (!string.IsNullOrWhiteSpace(options.AdvertisedAddress))
        {
            if (!options.IsAdoNet)
            {
                failures.Add("Cluster:AdvertisedAddress is only used with Cluster:Mode=AdoNet; remove it or set the mode.");
            }
            else if (!IsReachableAddress(options.AdvertisedAddress.Trim()))
            {
                failures.Add($"Cluster:AdvertisedAddress must be an IP address or host name that other silos can reach (was '{options.AdvertisedAddress}').");
            }
        }

        if (options.KubernetesHosting && !options.IsAdoNet)
        {
            failures.Add("Cluster:KubernetesHosting=true needs Cluster:Mode=AdoNet.");
        }

        var retry = options.Retry ?? new ClusterRetryOptions();
        if (retry.Deadline <= TimeSpan.Zero || retry.Deadline > MaxDeadline)
        {
            failures.Add($"Cluster:Retry:Deadline must be more than 0 and at most {MaxDeadline} (was {retry.Deadline}).");
        }

        if (retry.RetryAfter < TimeSpan.FromSeconds(1) || retry.RetryAfter > TimeSpan.FromHours(1))
        {
            failures.Add($"Cluster:Retry:RetryAfter must be between 00:00:01 and 01:00:00 (was {retry.RetryAfter}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsReachableAddress(string value)
    {
        if (IPAddress.TryParse(value, out var address))
        {
            return !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any);
        }

        return Uri.CheckHostName(value) == UriHostNameType.Dns;
    }
}
