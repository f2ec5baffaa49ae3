using AgriChain.Domain.Common;

namespace AgriChain.Domain.MasterData;

/// <summary>
/// How master data may change: a resource is created once, repeated identical writes change nothing, mutable
/// fields may be updated, and the fields that tie a resource into the ownership tree (a farm's cooperative, a
/// greenhouse's farm) never change, because keys, scopes and history hang on them.
/// </summary>
public static class MasterDataRules
{
    /// <summary>Decides what writing <paramref name="incoming"/> over <paramref name="current"/> does.</summary>
    public static UpsertDecision Decide(FarmProfile? current, FarmProfile incoming)
    {
        if (current is null)
        {
            return UpsertDecision.Create;
        }

        if (current == incoming)
        {
            return UpsertDecision.Unchanged;
        }

        return current.CooperativeId != incoming.CooperativeId
            ? UpsertDecision.Conflicts("cooperativeId", $"The farm belongs to cooperative '{current.CooperativeId}'; a farm cannot move to another cooperative.")
            : UpsertDecision.Update;
    }

    /// <inheritdoc cref="Decide(FarmProfile?, FarmProfile)"/>
    public static UpsertDecision Decide(GreenhouseProfile? current, GreenhouseProfile incoming)
    {
        if (current is null)
        {
            return UpsertDecision.Create;
        }

        if (current == incoming)
        {
            return UpsertDecision.Unchanged;
        }

        return current.FarmId != incoming.FarmId
            ? UpsertDecision.Conflicts("farmId", $"The greenhouse belongs to farm '{current.FarmId}'; a greenhouse cannot move to another farm.")
            : UpsertDecision.Update;
    }

    /// <summary>Profiles with no ownership tie (cooperatives, buyers) can always be updated.</summary>
    public static UpsertDecision Decide<T>(T? current, T incoming)
        where T : class, IEquatable<T>
    {
        if (current is null)
        {
            return UpsertDecision.Create;
        }

        return current.Equals(incoming) ? UpsertDecision.Unchanged : UpsertDecision.Update;
    }
}

/// <summary>The outcome of <see cref="MasterDataRules"/>, with the conflicting field when refused.</summary>
public sealed record UpsertDecision(UpsertOutcome Outcome, string? Field = null, string? Detail = null)
{
    public static readonly UpsertDecision Create = new(UpsertOutcome.Created);
    public static readonly UpsertDecision Unchanged = new(UpsertOutcome.Unchanged);
    public static readonly UpsertDecision Update = new(UpsertOutcome.Updated);

    public static UpsertDecision Conflicts(string field, string detail) => new(UpsertOutcome.Conflict, field, detail);

    /// <summary>True when the write must be stored.</summary>
    public bool Writes => Outcome is UpsertOutcome.Created or UpsertOutcome.Updated;
}
