namespace AgriChain.Domain.Common;

/// <summary>What a create-or-update of a resource did.</summary>
[GenerateSerializer]
public enum UpsertOutcome
{
    /// <summary>The resource did not exist and was created.</summary>
    Created = 0,

    /// <summary>The resource existed with exactly this content; nothing changed.</summary>
    Unchanged = 1,

    /// <summary>The resource existed and its mutable fields were changed.</summary>
    Updated = 2,

    /// <summary>The change touches a field that cannot change once set; nothing changed.</summary>
    Conflict = 3,

    /// <summary>The content names another resource that does not exist; nothing changed.</summary>
    MissingReference = 4,
}

/// <summary>The result of a create-or-update: the outcome, the resource as it now is, and why when refused.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.upsert-result`1")]
public sealed record UpsertResult<T>(
    [property: Id(0)] UpsertOutcome Outcome,
    [property: Id(1)] T? Value,
    [property: Id(2)] string? Field = null,
    [property: Id(3)] string? Detail = null);

/// <summary>Builds refused <see cref="UpsertResult{T}"/>s.</summary>
public static class UpsertResult
{
    public static UpsertResult<T> Refused<T>(UpsertOutcome outcome, string field, string detail) =>
        new(outcome, default, field, detail);
}
