using System.Globalization;
using System.Net;
using System.Text;

namespace AgriChain.Server.Web.Charts;

/// <summary>One point of the chart: a reading, or the mean of the readings of a bucket.</summary>
public sealed record ChartPoint(DateTimeOffset At, double TemperatureC, double? HumidityPct);

/// <summary>The stage's temperature band over a stretch of the chart (null bounds are open).</summary>
public sealed record ChartBand(DateTimeOffset From, DateTimeOffset To, double? FloorC, double? CeilingC);

/// <summary>An alert's interval on the chart (open alerts run to the chart's end).</summary>
public sealed record ChartAlert(string Id, string Kind, DateTimeOffset From, DateTimeOffset To, string Label);

/// <summary>The words of the chart, in the page's language.</summary>
public sealed record ChartText(string Title, string Temperature, string Humidity, string Floor, string Ceiling, string NoData);

/// <summary>
/// Draws temperature and humidity over a time range as inline SVG on the server: the stage's floor and ceiling as
/// dashed lines, alert intervals shaded behind the curves, local-time ticks. No script, a few kilobytes.
/// </summary>
public static class ConditionsChart
{
    public const int Width = 720;
    public const int Height = 300;
    private const int Left = 44;
    private const int Right = 44;
    private const int Top = 14;
    private const int Bottom = 34;

    /// <summary>Points drawn at most; longer series are averaged into this many time buckets first.</summary>
    public const int MaxPoints = 720;

    public static string Render(IReadOnlyList<ChartPoint> points, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<ChartBand> bands,
        IReadOnlyList<ChartAlert> alerts, TimeZoneInfo zone, ChartText text)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(bands);
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(text);
        var series = Downsample(points.OrderBy(p => p.At).ToList(), from, to);
        var (low, high) = TemperatureRange(series, bands);
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        var span = Math.Max(1, (to - from).TotalSeconds);
        double X(DateTimeOffset at) => Left + (Math.Clamp((at - from).TotalSeconds, 0, span) / span * plotW);
        double YT(double c) => Top + ((high - c) / (high - low) * plotH);
        double YH(double pct) => Top + ((100 - pct) / 100 * plotH);

        var svg = new StringBuilder(16_384);
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{E(text.Title)}\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.Append("<title>").Append(E(text.Title)).Append("</title>");
        svg.Append(CultureInfo.InvariantCulture,
            $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"#fff\" stroke=\"#ccc\"/>");

        // Alert intervals go first so that lines and curves stay readable on top of them.
        foreach (var alert in alerts)
        {
            if (alert.To <= from || alert.From >= to)
            {
                continue;
            }

            var x1 = X(alert.From);
            var x2 = Math.Max(X(alert.To), x1 + 2);
            svg.Append(CultureInfo.InvariantCulture,
                    $"<rect class=\"alert-interval\" data-alert-id=\"{E(alert.Id)}\" data-kind=\"{E(alert.Kind)}\" x=\"{N(x1)}\" y=\"{Top}\" width=\"{N(x2 - x1)}\" height=\"{plotH}\" fill=\"{AlertFill(alert.Kind)}\">")
                .Append("<title>").Append(E(alert.Label)).Append("</title></rect>");
        }

        // Temperature grid on the left axis, humidity ticks on the right.
        var step = NiceStep(high - low);
        for (var c = Math.Ceiling(low / step) * step; c <= high + 1e-9; c += step)
        {
            var y = YT(c);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{N(y)}\" x2=\"{Left + plotW}\" y2=\"{N(y)}\" stroke=\"#eee\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{N(y + 4)}\" text-anchor=\"end\" fill=\"#b3261e\">{N(c)}°</text>");
        }

        for (var pct = 0; pct <= 100; pct += 25)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + plotW + 4}\" y=\"{N(YH(pct) + 4)}\" fill=\"#1d5fa8\">{pct}%</text>");
        }

        foreach (var (at, label) in Ticks(from, to, zone))
        {
            var x = X(at);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(x)}\" y1=\"{Top + plotH}\" x2=\"{N(x)}\" y2=\"{Top + plotH + 4}\" stroke=\"#888\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x)}\" y=\"{Top + plotH + 16}\" text-anchor=\"middle\" fill=\"#444\">{E(label)}</text>");
        }

        foreach (var band in bands)
        {
            var x1 = X(band.From < from ? from : band.From);
            var x2 = X(band.To > to ? to : band.To);
            if (x2 <= x1)
            {
                continue;
            }

            if (band.FloorC is { } floor)
            {
                Threshold(svg, "floor", floor, x1, x2, YT(floor), "#0b6bcb", $"{text.Floor} {N(floor)} °C");
            }

            if (band.CeilingC is { } ceiling)
            {
                Threshold(svg, "ceiling", ceiling, x1, x2, YT(ceiling), "#c25400", $"{text.Ceiling} {N(ceiling)} °C");
            }
        }

        if (series.Count == 0)
        {
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{Left + (plotW / 2)}\" y=\"{Top + (plotH / 2)}\" text-anchor=\"middle\" fill=\"#666\" font-size=\"14\">{E(text.NoData)}</text>");
        }
        else
        {
            var gap = GapThreshold(series);
            var humidity = Path(series.Where(p => p.HumidityPct is not null).ToList(), gap, p => X(p.At), p => YH(p.HumidityPct!.Value));
            if (humidity.Length > 0)
            {
                svg.Append("<path class=\"humidity\" d=\"").Append(humidity)
                    .Append("\" fill=\"none\" stroke=\"#1d5fa8\" stroke-width=\"1.5\" stroke-dasharray=\"4 2\" opacity=\"0.8\"/>");
            }

            svg.Append("<path class=\"temperature\" d=\"").Append(Path(series, gap, p => X(p.At), p => YT(p.TemperatureC)))
                .Append("\" fill=\"none\" stroke=\"#b3261e\" stroke-width=\"2\"/>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{Height - 4}\" fill=\"#b3261e\">━ {E(text.Temperature)} (°C)</text>")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + plotW}\" y=\"{Height - 4}\" text-anchor=\"end\" fill=\"#1d5fa8\">╌ {E(text.Humidity)} (%)</text>")
            .Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Averages a long series into <see cref="MaxPoints"/> equal time buckets (empty buckets stay gaps).</summary>
    public static IReadOnlyList<ChartPoint> Downsample(IReadOnlyList<ChartPoint> points, DateTimeOffset from, DateTimeOffset to)
    {
        if (points.Count <= MaxPoints)
        {
            return points;
        }

        var width = (to - from).TotalSeconds / MaxPoints;
        return points.GroupBy(p => (int)Math.Floor((p.At - from).TotalSeconds / width))
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var humidity = g.Where(p => p.HumidityPct is not null).Select(p => p.HumidityPct!.Value).ToList();
                return new ChartPoint(from.AddSeconds((g.Key + 0.5) * width), g.Average(p => p.TemperatureC),
                    humidity.Count > 0 ? humidity.Average() : null);
            })
            .ToList();
    }

    private static void Threshold(StringBuilder svg, string kind, double celsius, double x1, double x2, double y, string colour, string label)
    {
        svg.Append(CultureInfo.InvariantCulture,
                $"<line class=\"{kind}\" data-celsius=\"{N(celsius)}\" x1=\"{N(x1)}\" y1=\"{N(y)}\" x2=\"{N(x2)}\" y2=\"{N(y)}\" stroke=\"{colour}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>")
            .Append(CultureInfo.InvariantCulture,
                $"<text class=\"{kind}-label\" x=\"{N(x1 + 4)}\" y=\"{N(kind == "floor" ? y + 13 : y - 4)}\" fill=\"{colour}\">{E(label)}</text>");
    }

    private static (double Low, double High) TemperatureRange(IReadOnlyList<ChartPoint> series, IReadOnlyList<ChartBand> bands)
    {
        var values = series.Select(p => p.TemperatureC)
            .Concat(bands.SelectMany(b => new[] { b.FloorC, b.CeilingC }).OfType<double>())
            .ToList();
        if (values.Count == 0)
        {
            return (0, 30);
        }

        var low = Math.Floor((values.Min() - 2) / 5) * 5;
        var high = Math.Ceiling((values.Max() + 2) / 5) * 5;
        return high - low < 10 ? (low, low + 10) : (low, high);
    }

    private static double NiceStep(double range) => range switch
    {
        <= 12 => 2,
        <= 40 => 5,
        <= 80 => 10,
        _ => 20,
    };

    /// <summary>Local-time ticks: every 6 hours up to two days, then daily, then every few days.</summary>
    private static IEnumerable<(DateTimeOffset At, string Label)> Ticks(DateTimeOffset from, DateTimeOffset to, TimeZoneInfo zone)
    {
        var span = to - from;
        var hours = span <= TimeSpan.FromDays(2.5) ? 6 : span <= TimeSpan.FromDays(10) ? 24 : 24 * (int)Math.Ceiling(span.TotalDays / 8);
        var local = TimeZoneInfo.ConvertTime(from, zone);
        var start = new DateTimeOffset(local.Year, local.Month, local.Day, 0, 0, 0, local.Offset);
        for (var at = start; at <= to; at = at.AddHours(hours))
        {
            if (at < from)
            {
                continue;
            }

            var shown = TimeZoneInfo.ConvertTime(at, zone);
            yield return (at, shown.Hour == 0 && shown.Minute == 0
                ? shown.ToString("MM-dd", CultureInfo.InvariantCulture)
                : shown.ToString("HH:mm", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>A pause longer than this breaks the curve: no line is drawn across hours without data.</summary>
    private static TimeSpan GapThreshold(IReadOnlyList<ChartPoint> series)
    {
        if (series.Count < 3)
        {
            return TimeSpan.FromHours(1);
        }

        var spacings = series.Zip(series.Skip(1), (a, b) => b.At - a.At).Order().ToList();
        var median = spacings[spacings.Count / 2];
        return TimeSpan.FromTicks(Math.Max(median.Ticks * 3, TimeSpan.FromMinutes(45).Ticks));
    }

    private static string Path(IReadOnlyList<ChartPoint> series, TimeSpan gap, Func<ChartPoint, double> x, Func<ChartPoint, double> y)
    {
        var d = new StringBuilder(series.Count * 14);
        ChartPoint? previous = null;
        foreach (var point in series)
        {
            var move = previous is null || point.At - previous.At > gap;
            d.Append(move ? 'M' : 'L').Append(N(x(point))).Append(',').Append(N(y(point))).Append(' ');
            previous = point;
        }

        return d.ToString().TrimEnd();
    }

    private static string AlertFill(string kind) => kind switch
    {
        "temperature-below-floor" => "rgba(11,107,203,0.18)",
        "temperature-above-ceiling" => "rgba(194,84,0,0.18)",
        "humidity-out-of-range" => "rgba(120,60,170,0.15)",
        _ => "rgba(90,90,90,0.15)",
    };

    private static string N(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    private static string E(string? value) => WebUtility.HtmlEncode(value ?? string.Empty);
}
