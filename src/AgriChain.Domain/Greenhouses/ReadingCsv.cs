using System.Globalization;
using AgriChain.Domain.Common;

namespace AgriChain.Domain.Greenhouses;

/// <summary>
/// Readings as data loggers export them: a header <c>at,temperatureC,humidityPct,sensorId</c> (columns in any
/// order; humidityPct and sensorId may be absent or empty), then one reading per row. Row i (0-based, after the
/// header) is reported as <c>readings[i]</c>, as in JSON.
/// </summary>
public static class ReadingCsv
{
    private static readonly string[] Known = ["at", "temperatureC", "humidityPct", "sensorId"];

    public static IReadOnlyList<RawReading?>? Parse(string text, FieldErrors errors)
    {
        List<List<string>> rows;
        try
        {
            rows = Csv.Parse(text);
        }
        catch (FormatException e)
        {
            errors.Add("body", e.Message);
            return null;
        }

        if (rows.Count == 0)
        {
            errors.Add("body", "is empty; expected a header 'at,temperatureC,humidityPct,sensorId' and readings");
            return null;
        }

        var header = rows[0].Select(h => h.Trim()).ToList();
        var index = Known.ToDictionary(k => k, k => header.FindIndex(h => string.Equals(h, k, StringComparison.OrdinalIgnoreCase)));
        if (index["at"] < 0 || index["temperatureC"] < 0)
        {
            errors.Add("body", "the header must name at least the columns 'at' and 'temperatureC'");
            return null;
        }

        var readings = new List<RawReading?>(rows.Count - 1);
        for (var i = 1; i < rows.Count; i++)
        {
            var row = rows[i];
            var prefix = $"readings[{i - 1}]";
            if (row.Count != header.Count)
            {
                errors.Add(prefix, $"has {row.Count} fields; the header has {header.Count}");
                readings.Add(null);
                continue;
            }

            readings.Add(new RawReading(
                Cell(row, index["at"]),
                Number(row, index["temperatureC"], $"{prefix}.temperatureC", errors),
                Number(row, index["humidityPct"], $"{prefix}.humidityPct", errors),
                Cell(row, index["sensorId"])));
        }

        return readings;
    }

    private static string? Cell(List<string> row, int column) =>
        column < 0 || string.IsNullOrWhiteSpace(row[column]) ? null : row[column].Trim();

    private static double? Number(List<string> row, int column, string field, FieldErrors errors)
    {
        var cell = Cell(row, column);
        if (cell is null)
        {
            return null;
        }

        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add(field, "must be a number");
        return null;
    }
}
