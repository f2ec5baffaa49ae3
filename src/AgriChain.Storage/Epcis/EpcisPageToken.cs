using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace AgriChain.Storage.Epcis;

/// <summary>
/// The opaque continuation of an EPCIS event query: base64url of the last event's time (unix microseconds) and storage
/// key, the keyset the next page starts after. Like the alert journal's token, it carries no filters.
/// </summary>
internal static class EpcisPageToken
{
    private const int MaxLength = 128;

    public static string Encode(long eventTimeMicroseconds, long eventKey) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{eventTimeMicroseconds}:{eventKey}")));

    /// <exception cref="ArgumentException">The token was not made by <see cref="Encode"/>.</exception>
    public static (long EventTimeMicroseconds, long EventKey) Decode(string token)
    {
        if (token.Length is 0 or > MaxLength)
        {
            throw Invalid(nameof(token));
        }

        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException exception)
        {
            throw Invalid(nameof(token), exception);
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0
            || !long.TryParse(text.AsSpan(0, colon), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var time)
            || !long.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var key)
            || time < UtcTime.ToUnixMicroseconds(DateTimeOffset.MinValue)
            || time > UtcTime.ToUnixMicroseconds(DateTimeOffset.MaxValue))
        {
            throw Invalid(nameof(token));
        }

        return (time, key);
    }

    private static ArgumentException Invalid(string parameter, Exception? inner = null) =>
        new("The page token is not one this service issued.", parameter, inner);
}
