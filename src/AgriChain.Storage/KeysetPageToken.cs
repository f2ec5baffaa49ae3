using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace AgriChain.Storage;

/// <summary>
/// The opaque continuation of a keyset-paged query (alert journal, EPCIS events): base64url of the last row's time
/// (unix microseconds) and key, the point the next page starts after. It carries no filters: a caller that changes
/// them gets a consistent page of the new query starting at that point.
/// </summary>
internal static class KeysetPageToken
{
    public static string Encode(long timeMicroseconds, string key) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{timeMicroseconds}:{key}")));

    /// <exception cref="ArgumentException">The token was not made by <see cref="Encode"/>.</exception>
    public static (long TimeMicroseconds, string Key) Decode(string token, int maxLength)
    {
        if (token.Length == 0 || token.Length > maxLength)
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
            || colon == text.Length - 1
            || !long.TryParse(text.AsSpan(0, colon), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var time)
            || time < UtcTime.ToUnixMicroseconds(DateTimeOffset.MinValue)
            || time > UtcTime.ToUnixMicroseconds(DateTimeOffset.MaxValue))
        {
            throw Invalid(nameof(token));
        }

        return (time, text[(colon + 1)..]);
    }

    /// <summary>As <see cref="Decode(string, int)"/>, for keys that are row numbers.</summary>
    public static (long TimeMicroseconds, long Key) DecodeNumeric(string token, int maxLength)
    {
        var (time, key) = Decode(token, maxLength);
        return long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? (time, number) : throw Invalid(nameof(token));
    }

    private static ArgumentException Invalid(string parameter, Exception? inner = null) =>
        new("The page token is not one this service issued.", parameter, inner);
}
