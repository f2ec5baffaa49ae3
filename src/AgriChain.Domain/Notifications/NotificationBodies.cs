using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace AgriChain.Domain.Notifications;

/// <summary>
/// The bytes sent for a notification. The generic body is also the <c>data</c> of the server-sent alert stream, so
/// a webhook receiver and a stream reader parse the same document.
/// </summary>
public static class NotificationBodies
{
    /// <summary>WeCom robots reject text content longer than this many UTF-8 bytes.</summary>
    public const int MaxWeComContentBytes = 2048;

    /// <summary>Compact JSON that keeps Chinese text readable instead of escaping it to <c>\uXXXX</c>.</summary>
    internal static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = Encoder, Indented = false };

    /// <summary>The body for a webhook of <paramref name="kind"/>.</summary>
    public static byte[] For(WebhookKind kind, Notification notification) => kind switch
    {
        WebhookKind.Generic => Generic(notification),
        WebhookKind.WeCom => WeCom(notification),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary><c>{"id":…,"type":…,"at":…,"data":{…}}</c>, on one line.</summary>
    public static byte[] Generic(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("id", notification.Id);
            json.WriteString("type", notification.Type);
            json.WriteString("at", notification.At);
            json.WritePropertyName("data");
            json.WriteRawValue(notification.DataJson);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>A WeCom group robot text message carrying the notification's text.</summary>
    public static byte[] WeCom(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("msgtype", "text");
            json.WriteStartObject("text");
            json.WriteString("content", Truncate(notification.Text, MaxWeComContentBytes));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Cuts <paramref name="text"/> to at most <paramref name="maxBytes"/> UTF-8 bytes, never inside a character.</summary>
    public static string Truncate(string text, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        const char Ellipsis = '…';
        var budget = maxBytes - Encoding.UTF8.GetByteCount([Ellipsis]);
        var result = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            budget -= rune.Utf8SequenceLength;
            if (budget < 0)
            {
                break;
            }

            result.Append(rune.ToString());
        }

        return result.Append(Ellipsis).ToString();
    }
}
