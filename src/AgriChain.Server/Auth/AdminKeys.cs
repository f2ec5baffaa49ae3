using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AgriChain.Server.Auth;

/// <summary>
/// The configured admin keys, kept as SHA-256 digests and compared in constant time. A singleton: the authentication
/// handler is created for every request, and digesting the configured keys there cost a hash per key per request.
/// </summary>
public sealed class AdminKeys(IOptions<AuthOptions> options)
{
    private readonly byte[][] _digests = options.Value.AdminKeys
        .Where(k => !string.IsNullOrEmpty(k))
        .Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k)))
        .ToArray();

    /// <summary>Whether <paramref name="token"/> is one of the admin keys; the time taken does not depend on which.</summary>
    public bool Matches(string token)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        var match = false;
        foreach (var candidate in _digests)
        {
            match |= CryptographicOperations.FixedTimeEquals(digest, candidate);
        }

        return match;
    }
}
