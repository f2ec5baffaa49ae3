using System.Text;

namespace AgriChain.Domain.Common;

/// <summary>
/// Reads RFC 4180 CSV as data loggers export it: comma-separated, optional double quotes (a quote inside a quoted
/// field is doubled), CRLF or LF line ends, blank lines ignored.
/// </summary>
public static class Csv
{
    /// <summary>The rows of <paramref name="text"/>, each a list of fields; throws <see cref="FormatException"/> on an unclosed quote.</summary>
    public static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var fieldStarted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    fieldStarted = true;
                    break;
                case ',':
                    row.Add(field.ToString());
                    field.Clear();
                    fieldStarted = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    EndRow();
                    break;
                default:
                    field.Append(c);
                    fieldStarted = true;
                    break;
            }
        }

        if (quoted)
        {
            throw new FormatException("A quoted field is not closed.");
        }

        EndRow();
        return rows;

        void EndRow()
        {
            if (fieldStarted || row.Count > 0)
            {
                row.Add(field.ToString());
                if (row.Count > 1 || row[0].Trim().Length > 0)
                {
                    rows.Add(row);
                }
            }

            row = [];
            field.Clear();
            fieldStarted = false;
        }
    }
}
