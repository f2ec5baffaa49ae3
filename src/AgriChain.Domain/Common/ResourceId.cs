using System.Text.RegularExpressions;

namespace AgriChain.Domain.Common;

/// <summary>
/// Client-chosen identifiers of every AgriChain resource: <c>[a-z0-9][a-z0-9._-]{0,63}</c>.
/// </summary>
public static partial class ResourceId
{
    /// <summary>The rule as shown to clients in validation errors.</summary>
    public const string Rule = "must be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit";

    /// <summary>True when <paramref name="id"/> is a well-formed identifier.</summary>
    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
