using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace AgriChain.Storage.Greenhouses;

/// <summary>
/// The opaque continuation of an alert query: base64url of the last alert's opening time (unix microseconds) and id,
/// the keyset the next page starts after. It carries no filters: a caller that changes them gets a consistent page of
/// the new query starting at that point.
/// </summary>
internal static class AlertPageToken
{
    private const int MaxLength = 512;

    public static string Encode(long openedAtMicroseconds, string alertId) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{openedAtMicroseconds}:{alertId}")));

    /// <exception cref="ArgumentException">The token was not made by <see cref="Encode"/>.</exception>
    public static (long OpenedAtMicroseconds, string AlertId) Decode(string token)
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
            || colon == text.Length - 1
            || !long.TryParse(text.AsSpan(0, colon), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var openedAt)
            || openedAt < UtcTime.ToUnixMicroseconds(DateTimeOffset.MinValue)
            || openedAt > UtcTime.ToUnixMicroseconds(DateTimeOffset.MaxValue))
        {
            throw Invalid(nameof(token));
        }

        return (openedAt, text[(colon + 1)..]);
    }

    private static ArgumentException Invalid(string parameter, Exception? inner = null) =>
        new("The page token is not one this service issued.", parameter, inner);
}
