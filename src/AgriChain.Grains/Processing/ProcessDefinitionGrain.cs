using AgriChain.Contracts.Processing;
using AgriChain.Domain.Common;
using AgriChain.Domain.Processing;

namespace AgriChain.Grains.Processing;

/// <summary>A process definition's versions: the built-in one until an admin stores a version of its own.</summary>
[GrainType("process-definition")]
public sealed class ProcessDefinitionGrain(
    [PersistentState("process-definition")] IPersistentState<ProcessDefinitionState> state) : Grain, IProcessDefinitionGrain
{
    /// <summary>Versions kept readable; runs carry their own copy, so older ones are only history.</summary>
    public const int MaxVersions = 100;

    private string Id => this.GetPrimaryKeyString();

    public Task<ProcessDefinition?> GetAsync(int? version)
    {
        var versions = Versions();
        return Task.FromResult(version is { } v ? versions.FirstOrDefault(d => d.Version == v) : versions.LastOrDefault());
    }

    public async Task<UpsertResult<ProcessDefinition>> PutAsync(ProcessDefinition definition)
    {
        var versions = Versions();
        var current = versions.LastOrDefault();
        if (current is not null && current.SameContent(definition))
        {
            return new(UpsertOutcome.Unchanged, current);
        }

        var stored = definition.Plain() with { Id = Id, Version = (current?.Version ?? 0) + 1 };
        state.State.Versions = [.. versions.Select(v => v.Plain()), stored];
        while (state.State.Versions.Count > MaxVersions)
        {
            state.State.Versions.RemoveAt(0);
        }

        await state.WriteStateAsync();
        return new(current is null ? UpsertOutcome.Created : UpsertOutcome.Updated, stored);
    }

    private List<ProcessDefinition> Versions() =>
        state.State.Versions.Count > 0 ? state.State.Versions
        : BuiltInProcessDefinitions.Find(Id) is { } builtIn ? [builtIn]
        : [];
}

[GenerateSerializer, Alias("agrichain.process-definition-state")]
public sealed class ProcessDefinitionState
{
    /// <summary>Stored versions, oldest first (the built-in version 1 first when the definition is built in).</summary>
    [Id(0)] public List<ProcessDefinition> Versions { get; set; } = [];
}
