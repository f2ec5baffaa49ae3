using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace AgriChain.Server.Api.Traceability;

/// <summary>
/// What the server-rendered pages (the public trace page and the printable certificate) share: encoding, bilingual
/// formatting of dates, quantities and units, and the response headers of an HTML page that runs no script.
/// </summary>
internal static class PublicTraceHtml
{
    /// <summary>The zone of the dates printed for people: the villages are all in Shanxi.</summary>
    public const string DisplayTimeZone = "Asia/Shanghai";

    public const string ContentType = "text/html; charset=utf-8";

    // The pages carry their CSS inline and never load or run anything else.
    private const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly TimeZoneInfo DefaultZone = TimeZoneInfo.FindSystemTimeZoneById(DisplayTimeZone);

    private static readonly Dictionary<string, string> UnitNames = new(StringComparer.Ordinal)
    {
        ["kg"] = "千克",
        ["t"] = "吨",
        ["L"] = "升",
        ["bottle"] = "瓶",
        ["piece"] = "件",
        ["egg"] = "枚",
        ["bird"] = "只",
        ["box"] = "箱",
    };

    /// <summary>Escapes text for an HTML element or a quoted attribute value.</summary>
    public static string Encode(string? value) => WebUtility.HtmlEncode(value ?? string.Empty);

    /// <summary>The zone named by a farm, or Asia/Shanghai when it names none we know.</summary>
    public static TimeZoneInfo Zone(string? timeZoneId) =>
        timeZoneId is not null && TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var zone) ? zone : DefaultZone;

    /// <summary>The calendar date of <paramref name="at"/> in <paramref name="zone"/> (Asia/Shanghai by default).</summary>
    public static DateOnly LocalDate(DateTimeOffset at, TimeZoneInfo? zone = null) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone ?? DefaultZone).DateTime);

    /// <summary><c>2026年6月12日 · 2026-06-12</c> (digits only, nothing to encode).</summary>
    public static string Date(DateOnly date) => string.Create(CultureInfo.InvariantCulture,
        $"{date.Year}年{date.Month}月{date.Day}日 · {date:yyyy-MM-dd}");

    /// <summary>Encodes each part and joins them with a middle dot.</summary>
    public static string Join(params IEnumerable<string?> parts) => string.Join(" · ", parts.Select(Encode));

    /// <summary>A quantity as printed: invariant digits, no grouping, no trailing zeros.</summary>
    public static string Number(decimal value) => value.ToString("0.##########", CultureInfo.InvariantCulture);

    /// <summary><c>1200 kg（千克）</c>, encoded.</summary>
    public static string Quantity(decimal value, string unit) => UnitNames.TryGetValue(unit, out var chinese)
        ? Encode($"{Number(value)} {unit}（{chinese}）")
        : Encode($"{Number(value)} {unit}");

    /// <summary>An inspection result in both languages when it is one of the usual words, otherwise as recorded.</summary>
    public static string InspectionResult(string? result) => result?.Trim().ToLowerInvariant() switch
    {
        "passed" or "pass" or "ok" => "合格 · passed",
        "failed" or "fail" => "不合格 · failed",
        null or "" => "—",
        _ => Encode(result),
    };

    /// <summary>
    /// Opens an HTML document: doctype, language, viewport, title and the page's stylesheet. The caller writes the
    /// body and then <see cref="Close"/>.
    /// </summary>
    public static StringBuilder Open(string title, string css)
    {
        var html = new StringBuilder(8_192);
        html.Append("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"robots\" content=\"noindex\">\n")
            .Append("<title>").Append(Encode(title)).Append("</title>\n")
            .Append("<style>\n").Append(css).Append("</style>\n</head>\n<body>\n");
        return html;
    }

    public static string Close(StringBuilder html) => html.Append("</body>\n</html>\n").ToString();

    /// <summary>An HTML response with the headers every page of ours carries.</summary>
    public static ContentHttpResult Page(HttpContext context, string html, string cacheControl, int statusCode = StatusCodes.Status200OK)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = cacheControl;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers[HeaderNames.XFrameOptions] = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Content(html, ContentType, Encoding.UTF8, statusCode);
    }
}
