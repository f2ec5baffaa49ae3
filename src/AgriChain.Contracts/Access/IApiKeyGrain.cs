using AgriChain.Domain.Access;

namespace AgriChain.Contracts.Access;

/// <summary>
/// One API key (key: the key's public id). The grain is the single authority on the key: every request that
/// presents it is verified here, so a revocation takes effect at once on every silo.
/// </summary>
[Alias("agrichain.api-key")]
public interface IApiKeyGrain : IGrainWithStringKey
{
    /// <summary>Creates the key with its grant and secret (stored hashed). False when the id is already taken.</summary>
    [Alias("issue")]
    Task<bool> IssueAsync(KeyGrant grant, string secret, string issuedBy);

    /// <summary>The grant when <paramref name="secret"/> is this key's secret and the key is not revoked; else null.</summary>
    [Alias("verify")]
    Task<KeyGrant?> VerifyAsync(string secret);

    /// <summary>Revokes the key. False when there is no such key.</summary>
    [Alias("revoke")]
    Task<bool> RevokeAsync(string revokedBy);

    /// <summary>The key's description (never its secret), or null when it does not exist.</summary>
    [Alias("get")]
    Task<ApiKeyView?> GetAsync();
}

/// <summary>An API key as admins see it.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.api-key-view")]
public sealed record ApiKeyView(
    [property: Id(0)] string Id,
    [property: Id(1)] KeyGrant Grant,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] string CreatedBy,
    [property: Id(4)] DateTimeOffset? RevokedAt);
