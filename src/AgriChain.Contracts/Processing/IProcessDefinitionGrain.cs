using AgriChain.Domain.Common;
using AgriChain.Domain.Processing;
using Orleans.Concurrency;

namespace AgriChain.Contracts.Processing;

/// <summary>
/// A process definition (key: definition id) and its versions: the built-in one until an admin stores a version of
/// its own. Old versions stay readable, so a run's version can always be looked up.
/// </summary>
[Alias("agrichain.process-definition-grain")]
public interface IProcessDefinitionGrain : IGrainWithStringKey
{
    /// <summary>The version in force (<paramref name="version"/> null) or the one asked for; null when unknown.</summary>
    [Alias("get"), ReadOnly]
    Task<ProcessDefinition?> GetAsync(int? version);

    /// <summary>
    /// Stores <paramref name="definition"/> as the next version (the id and version number are assigned here).
    /// The same content as the version in force changes nothing (<see cref="UpsertOutcome.Unchanged"/>).
    /// </summary>
    [Alias("put")]
    Task<UpsertResult<ProcessDefinition>> PutAsync(ProcessDefinition definition);
}
