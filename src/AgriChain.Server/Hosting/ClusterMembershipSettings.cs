using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace AgriChain.Server.Hosting;

/// <summary>
/// Orleans' membership (failure detection) settings, bound from <c>Cluster:Membership</c> straight onto
/// <see cref="ClusterMembershipOptions"/>: every key there is an Orleans property name
/// (<c>Cluster:Membership:ProbeTimeout=00:00:01</c>), and every unset key keeps Orleans' default. Production should
/// keep the defaults (a dead silo is declared dead in roughly 10-30 s); tests shorten them to about 2 s.
/// </summary>
public static class ClusterMembershipSettings
{
    public const string SectionName = "Cluster:Membership";

    /// <summary>
    /// Binds <c>Cluster:Membership</c> as Orleans will and checks it; an unknown key or a value out of range fails
    /// here with a message naming the key.
    /// </summary>
    public static ClusterMembershipOptions Read(IConfiguration configuration)
    {
        var options = new ClusterMembershipOptions();
        var section = configuration.GetSection(SectionName);
        try
        {
            section.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException exception)
        {
            throw new OptionsValidationException(SectionName, typeof(ClusterMembershipOptions),
                [$"{SectionName} has a key or value Orleans does not know: {exception.Message} (keys are ClusterMembershipOptions properties, such as ProbeTimeout, NumMissedProbesLimit, NumVotesForDeathDeclaration, TableRefreshTimeout, IAmAliveTablePublishTimeout)."]);
        }

        var validation = new ClusterMembershipSettingsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(SectionName, typeof(ClusterMembershipOptions), validation.Failures);
        }

        return options;
    }
}

/// <summary>The ranges AgriChain accepts for the membership keys that decide how fast a dead silo is noticed.</summary>
public sealed class ClusterMembershipSettingsValidator : IValidateOptions<ClusterMembershipOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterMembershipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Positive(failures, nameof(options.ProbeTimeout), options.ProbeTimeout);
        Positive(failures, nameof(options.TableRefreshTimeout), options.TableRefreshTimeout);
        Positive(failures, nameof(options.IAmAliveTablePublishTimeout), options.IAmAliveTablePublishTimeout);
        Positive(failures, nameof(options.DeathVoteExpirationTimeout), options.DeathVoteExpirationTimeout);
        AtLeastOne(failures, nameof(options.NumMissedProbesLimit), options.NumMissedProbesLimit);
        AtLeastOne(failures, nameof(options.NumProbedSilos), options.NumProbedSilos);
        AtLeastOne(failures, nameof(options.NumVotesForDeathDeclaration), options.NumVotesForDeathDeclaration);
        AtLeastOne(failures, nameof(options.NumMissedTableIAmAliveLimit), options.NumMissedTableIAmAliveLimit);
        if (options.NumVotesForDeathDeclaration > options.NumProbedSilos)
        {
            failures.Add($"{ClusterMembershipSettings.SectionName}:NumVotesForDeathDeclaration ({options.NumVotesForDeathDeclaration}) must not exceed "
                + $"{ClusterMembershipSettings.SectionName}:NumProbedSilos ({options.NumProbedSilos}): no silo could ever be declared dead.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{ClusterMembershipSettings.SectionName}:{key} must be a positive duration such as 00:00:05 (was {value}).");
        }
    }

    private static void AtLeastOne(List<string> failures, string key, int value)
    {
        if (value < 1)
        {
            failures.Add($"{ClusterMembershipSettings.SectionName}:{key} must be at least 1 (was {value}).");
        }
    }
}
