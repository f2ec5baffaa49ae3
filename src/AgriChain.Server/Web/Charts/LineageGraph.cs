using System.Globalization;
using System.Net;
using System.Text;

namespace AgriChain.Server.Web.Charts;

/// <summary>A batch in the drawn lineage: depth is negative upstream of the page's batch, positive downstream.</summary>
public sealed record GraphNode(string Id, string Product, string Quantity, string Status, string StatusText, int Depth, bool Flagged, bool IsRoot);

/// <summary>How much moved from one batch to another, and how (split, merge, transform).</summary>
public sealed record GraphEdge(string From, string To, string Label, string Kind);

/// <summary>
/// Draws a batch's lineage as SVG: one column per generation, upstream on the left, each batch a box that links to its
/// page, edges labelled with the quantity that moved. Flagged batches (a cold night or unverified conditions
/// upstream) carry a mark.
/// </summary>
public static class LineageGraph
{
    /// <summary>Boxes drawn at most; a bigger lineage is cut, and the page says so.</summary>
    public const int MaxNodes = 120;

    private const int BoxWidth = 170;
    private const int BoxHeight = 56;
    private const int GapX = 120;
    private const int GapY = 18;
    private const int Margin = 10;

    public static string Render(IReadOnlyList<GraphNode> nodes, IReadOnlyList<GraphEdge> edges, string title, string flagText)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(edges);
        var shown = nodes.Take(MaxNodes).ToList();
        var columns = shown.GroupBy(n => n.Depth).OrderBy(g => g.Key).ToList();
        var position = new Dictionary<string, (double X, double Y)>(StringComparer.Ordinal);
        var rows = columns.Count == 0 ? 1 : columns.Max(c => c.Count());
        for (var c = 0; c < columns.Count; c++)
        {
            var column = columns[c].OrderBy(n => n.Id, StringComparer.Ordinal).ToList();
            // Shorter columns are centred against the tallest one.
            var offset = (rows - column.Count) * (BoxHeight + GapY) / 2.0;
            for (var r = 0; r < column.Count; r++)
            {
                position[column[r].Id] = (Margin + (c * (BoxWidth + GapX)), Margin + offset + (r * (BoxHeight + GapY)));
            }
        }

        var width = (2 * Margin) + (Math.Max(1, columns.Count) * (BoxWidth + GapX)) - GapX;
        var height = (2 * Margin) + (rows * (BoxHeight + GapY)) - GapY;
        var svg = new StringBuilder(8_192);
        svg.Append(CultureInfo.InvariantCulture,
                $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"lineage\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{E(title)}\" font-family=\"sans-serif\" font-size=\"11\">")
            .Append("<title>").Append(E(title)).Append("</title>");

        foreach (var edge in edges)
        {
            if (!position.TryGetValue(edge.From, out var a) || !position.TryGetValue(edge.To, out var b))
            {
                continue;
            }

            var x1 = a.X + BoxWidth;
            var y1 = a.Y + (BoxHeight / 2.0);
            var x2 = b.X;
            var y2 = b.Y + (BoxHeight / 2.0);
            var mid = (x1 + x2) / 2;
            svg.Append(CultureInfo.InvariantCulture,
                    $"<path class=\"edge\" data-from=\"{E(edge.From)}\" data-to=\"{E(edge.To)}\" data-kind=\"{E(edge.Kind)}\" d=\"M{N(x1)},{N(y1)} C{N(mid)},{N(y1)} {N(mid)},{N(y2)} {N(x2)},{N(y2)}\" fill=\"none\" stroke=\"{EdgeColour(edge.Kind)}\" stroke-width=\"1.6\"/>")
                .Append(CultureInfo.InvariantCulture,
                    $"<text x=\"{N(mid)}\" y=\"{N(((y1 + y2) / 2) - 3)}\" text-anchor=\"middle\" fill=\"#333\" font-size=\"10\">{E(edge.Label)}</text>");
        }

        foreach (var node in shown)
        {
            var (x, y) = position[node.Id];
            svg.Append(CultureInfo.InvariantCulture, $"<a href=\"/batches/{Uri.EscapeDataString(node.Id)}\" class=\"node\" data-batch-id=\"{E(node.Id)}\"{(node.IsRoot ? " data-root=\"true\"" : "")}>")
                .Append(CultureInfo.InvariantCulture,
                    $"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{BoxWidth}\" height=\"{BoxHeight}\" rx=\"6\" fill=\"{StatusFill(node.Status)}\" stroke=\"{(node.IsRoot ? "#111" : "#777")}\" stroke-width=\"{(node.IsRoot ? 2.5 : 1)}\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x + 8)}\" y=\"{N(y + 16)}\" font-weight=\"bold\">{E(Clip(node.Product, 22))}</text>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x + 8)}\" y=\"{N(y + 31)}\" fill=\"#333\">{E(Clip(node.Id, 26))}</text>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x + 8)}\" y=\"{N(y + 46)}\" fill=\"#333\">{E(Clip($"{node.Quantity} · {node.StatusText}", 28))}</text>");
            if (node.Flagged)
            {
                svg.Append(CultureInfo.InvariantCulture,
                        $"<circle class=\"flag\" cx=\"{N(x + BoxWidth - 10)}\" cy=\"{N(y + 10)}\" r=\"6\" fill=\"#0b6bcb\"><title>{E(flagText)}</title></circle>");
            }

            svg.Append("</a>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static string StatusFill(string status) => status switch
    {
        "active" => "#e6f4ea",
        "consumed" => "#eeeeee",
        "shipped" => "#e3eefc",
        "on-hold" => "#fff4d6",
        "recalled" => "#fde2e1",
        _ => "#ffffff",
    };

    private static string EdgeColour(string kind) => kind switch
    {
        "split" => "#5f6b7a",
        "merge" => "#7a4fb0",
        _ => "#b36b00",
    };

    private static string Clip(string value, int max) => value.Length <= max ? value : string.Concat(value.AsSpan(0, max - 1), "…");

    private static string N(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    private static string E(string? value) => WebUtility.HtmlEncode(value ?? string.Empty);
}
