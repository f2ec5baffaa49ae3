using System.Security.Cryptography;
using System.Text;

namespace AgriChain.Domain.Notifications;

/// <summary>The headers of a webhook delivery.</summary>
public static class WebhookHeaders
{
    /// <summary><c>sha256=&lt;lowercase hex HMAC-SHA256 of the exact body bytes, keyed with the webhook secret&gt;</c>.</summary>
    public const string Signature = "X-AgriChain-Signature";

    /// <summary>The notification type, e.g. <c>alert.opened</c>.</summary>
    public const string Event = "X-AgriChain-Event";

    /// <summary>The notification id: the same on every retry, so receivers can drop repeats.</summary>
    public const string Delivery = "X-AgriChain-Delivery";

    /// <summary>When this attempt was made, in Unix seconds.</summary>
    public const string Timestamp = "X-AgriChain-Timestamp";
}

/// <summary>Signs webhook bodies so receivers can tell AgriChain's deliveries from forgeries.</summary>
public static class WebhookSignature
{
    public const string Prefix = "sha256=";

    /// <summary>The <see cref="WebhookHeaders.Signature"/> value for <paramref name="body"/>.</summary>
    public static string Compute(ReadOnlySpan<byte> body, string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
        return Prefix + Convert.ToHexStringLower(mac);
    }

    /// <summary>True when <paramref name="header"/> is the signature of <paramref name="body"/> (constant time).</summary>
    public static bool Verify(ReadOnlySpan<byte> body, string secret, string? header)
    {
        if (header is null)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(body, secret));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(header));
    }
}
