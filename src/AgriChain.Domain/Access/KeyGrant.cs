using AgriChain.Domain.Common;

namespace AgriChain.Domain.Access;

/// <summary>
/// What an API key allows: a role and the scope it is bound to (farms for a technician, one cooperative, one buyer).
/// </summary>
[GenerateSerializer, Immutable, Alias("agrichain.key-grant")]
public sealed record KeyGrant(
    [property: Id(0)] Role Role,
    [property: Id(1)] IReadOnlyList<string> FarmIds,
    [property: Id(2)] string? CooperativeId,
    [property: Id(3)] string? BuyerId,
    [property: Id(4)] string Label)
{
    /// <summary>A technician key may name at most this many farms.</summary>
    public const int MaxFarms = 200;

    /// <summary>
    /// Checks that the scope fits the role: a technician names one or more farms, a cooperative key names its
    /// cooperative, a buyer key names its buyer, and no key carries a scope its role does not use.
    /// </summary>
    public static KeyGrant? Validate(string? role, IReadOnlyList<string?>? farmIds, string? cooperativeId, string? buyerId,
        string? label, FieldErrors errors)
    {
        var known = RoleNames.TryParse(role, out var parsed);
        if (role is null)
        {
            errors.Add("role", "is required");
        }
        else if (!known)
        {
            errors.Add("role", "must be one of admin, technician, cooperative, buyer");
        }
        var cleanLabel = errors.RequireText("label", label, 100);
        var farms = new List<string>();
        if (farmIds is { Count: > 0 })
        {
            if (parsed != Role.Technician)
            {
                errors.Add("farmIds", "is only used by technician keys");
            }
            else if (farmIds.Count > MaxFarms)
            {
                errors.Add("farmIds", $"must name at most {MaxFarms} farms");
            }

            for (var i = 0; i < farmIds.Count; i++)
            {
                farms.Add(errors.RequireId($"farmIds[{i}]", farmIds[i]));
            }
        }
        else if (parsed == Role.Technician && known)
        {
            errors.Add("farmIds", "a technician key must name at least one farm");
        }

        ScopeId("cooperativeId", cooperativeId, parsed == Role.Cooperative && known, errors);
        ScopeId("buyerId", buyerId, parsed == Role.Buyer && known, errors);

        return errors.IsEmpty
            ? new KeyGrant(parsed, farms.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(),
                cooperativeId, buyerId, cleanLabel)
            : null;
    }

    private static void ScopeId(string field, string? value, bool required, FieldErrors errors)
    {
        if (required)
        {
            errors.RequireId(field, value);
        }
        else if (value is not null)
        {
            errors.Add(field, "is not used by this role");
        }
    }
}
