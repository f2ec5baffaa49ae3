using Microsoft.Extensions.Options;

namespace AgriChain.Server.Hosting;

/// <summary>How the silo finds its cluster, section <c>Cluster</c>.</summary>
public sealed class AgriChainClusterOptions
{
    public const string SectionName = "Cluster";

    /// <summary><c>Localhost</c> (default: one silo, embedded) or <c>AdoNet</c> (several silos on PostgreSQL).</summary>
    public string Mode { get; set; } = "Localhost";

    /// <summary>Silo-to-silo port; default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port; default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Orleans cluster id; default <c>agrichain</c>.</summary>
    public string ClusterId { get; set; } = "agrichain";

    /// <summary>Orleans service id, which keys grain state and reminders; default <c>agrichain</c>.</summary>
    public string ServiceId { get; set; } = "agrichain";
}

public sealed class AgriChainClusterOptionsValidator : IValidateOptions<AgriChainClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, AgriChainClusterOptions options)
    {
        var failures = new List<string>();
        if (string.Equals(options.Mode, "AdoNet", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add("Cluster:Mode=AdoNet (several silos on PostgreSQL) is not available in this version yet; use Localhost.");
        }
        else if (!string.Equals(options.Mode, "Localhost", StringComparison.OrdinalIgnoreCase))
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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
