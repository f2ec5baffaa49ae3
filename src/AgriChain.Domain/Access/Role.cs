namespace AgriChain.Domain.Access;

/// <summary>The roles an API key can carry.</summary>
[GenerateSerializer]
public enum Role
{
    /// <summary>Runs the installation: every resource, keys, profiles.</summary>
    Admin = 0,

    /// <summary>Works in the greenhouses of some farms: readings, stages, harvests of those farms.</summary>
    Technician = 1,

    /// <summary>A cooperative's officer: its farms, greenhouses, batches, runs and offers.</summary>
    Cooperative = 2,

    /// <summary>A buyer: supply queries, demands, watches and the batches shipped to it.</summary>
    Buyer = 3,
}

/// <summary>Wire names of <see cref="Role"/> (lower case, as in the API contract).</summary>
public static class RoleNames
{
    public const string Admin = "admin";
    public const string Technician = "technician";
    public const string Cooperative = "cooperative";
    public const string Buyer = "buyer";

    public static string ToName(this Role role) => role switch
    {
        Role.Admin => Admin,
        Role.Technician => Technician,
        Role.Cooperative => Cooperative,
        Role.Buyer => Buyer,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    public static bool TryParse(string? name, out Role role)
    {
        switch (name)
        {
            case Admin: role = Role.Admin; return true;
            case Technician: role = Role.Technician; return true;
            case Cooperative: role = Role.Cooperative; return true;
            case Buyer: role = Role.Buyer; return true;
            default: role = default; return false;
        }
    }
}
