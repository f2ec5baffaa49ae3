using System.Buffers.Text;
using System.Security.Cryptography;
using AgriChain.Domain.Common;

namespace AgriChain.Server.Auth;

/// <summary>
/// Issued keys read <c>agk_&lt;id&gt;.&lt;secret&gt;</c>: the id finds the key's grain, the secret (32 random
/// bytes, base64url) is checked against its stored hash.
/// </summary>
public static class ApiKeyToken
{
    public const string Prefix = "agk_";
    private const int IdBytes = 9;
    private const int SecretBytes = 32;

    /// <summary>A new key id and secret, and the token the client will present.</summary>
    public static (string Id, string Secret, string Token) Create()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdBytes));
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));
        return (id, secret, $"{Prefix}{id}.{secret}");
    }

    /// <summary>Splits a presented token into id and secret; false when it is not of our form.</summary>
    public static bool TryParse(string token, out string id, out string secret)
    {
        id = secret = string.Empty;
        if (!token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var dot = token.IndexOf('.', Prefix.Length);
        if (dot < 0)
        {
            return false;
        }

        id = token[Prefix.Length..dot];
        secret = token[(dot + 1)..];
        return ResourceId.IsValid(id) && secret.Length is > 0 and <= 128;
    }
}
