using System.Security.Claims;
using AgriChain.Domain.Access;

namespace AgriChain.Server.Auth;

/// <summary>The claims an authenticated AgriChain principal carries, and the way back to a <see cref="Caller"/>.</summary>
public static class AgriChainClaims
{
    public const string FarmId = "agrichain:farm";
    public const string CooperativeId = "agrichain:cooperative";
    public const string BuyerId = "agrichain:buyer";
    public const string KeyId = "agrichain:key";

    public static ClaimsPrincipal ToPrincipal(KeyGrant grant, string keyId, string scheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, keyId),
            new(KeyId, keyId),
            new(ClaimTypes.Role, grant.Role.ToName()),
        };
        claims.AddRange(grant.FarmIds.Select(f => new Claim(FarmId, f)));
        if (grant.CooperativeId is not null)
        {
            claims.Add(new Claim(CooperativeId, grant.CooperativeId));
        }

        if (grant.BuyerId is not null)
        {
            claims.Add(new Claim(BuyerId, grant.BuyerId));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>The caller behind an authenticated principal.</summary>
    public static Caller ToCaller(this ClaimsPrincipal principal)
    {
        var roleName = principal.FindFirstValue(ClaimTypes.Role);
        if (!RoleNames.TryParse(roleName, out var role))
        {
            throw new InvalidOperationException("The request is not authenticated with an AgriChain key.");
        }

        return new Caller(
            role,
            principal.FindAll(FarmId).Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
            principal.FindFirstValue(CooperativeId),
            principal.FindFirstValue(BuyerId));
    }

    /// <summary>Who did it, for audit fields: the key id, or "admin-key" for configured admin keys.</summary>
    public static string Actor(this ClaimsPrincipal principal) => principal.FindFirstValue(KeyId) ?? "unknown";
}
