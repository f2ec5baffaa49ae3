using System.Text;
using System.Text.Json;
using Json.Schema;

namespace AgriChain.Domain.Epcis;

/// <summary>
/// GS1's EPCIS 2.0 JSON schema (<c>EPCIS-JSON-Schema.json</c>, draft 7, embedded unchanged from GS1's repository) and
/// a validator for it, with formats (<c>uri</c>, <c>date-time</c>) checked too. Thread-safe; build it once.
/// </summary>
public sealed class EpcisSchema
{
    /// <summary>At most this many complaints are reported for one document.</summary>
    public const int MaxComplaints = 20;

    private static readonly Lazy<EpcisSchema> Shared = new(() => new EpcisSchema());

    private readonly JsonSchema _schema;
    private readonly EvaluationOptions _quick = new() { OutputFormat = OutputFormat.Flag, RequireFormatValidation = true };
    private readonly EvaluationOptions _detailed = new() { OutputFormat = OutputFormat.Hierarchical, RequireFormatValidation = true };

    private EpcisSchema()
    {
        using var stream = typeof(EpcisSchema).Assembly.GetManifestResourceStream("AgriChain.Epcis.EPCIS-JSON-Schema.json")
            ?? throw new InvalidOperationException("The EPCIS JSON schema is not embedded in AgriChain.Domain.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        // A registry of its own, so that another schema with the same $id elsewhere in the process never clashes.
        _schema = JsonSchema.FromText(reader.ReadToEnd(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }

    /// <summary>The one validator of the process.</summary>
    public static EpcisSchema Instance => Shared.Value;

    /// <summary>
    /// Validates a document (or a single event). Valid documents cost one fast pass; an invalid one is evaluated again
    /// to say where and why: complaints keyed by the place in the document (<c>epcisBody.eventList[1]</c>), each
    /// the schema's own words, with the alternatives of an <c>anyOf</c> joined by "or".
    /// </summary>
    public SchemaVerdict Validate(JsonElement document)
    {
        if (_schema.Evaluate(document, _quick).IsValid)
        {
            return SchemaVerdict.Valid;
        }

        var complaints = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        Collect(_schema.Evaluate(document, _detailed), complaints);
        if (complaints.Count == 0)
        {
            complaints["$"] = ["The document does not match the EPCIS 2.0 schema."];
        }

        return new SchemaVerdict(false, complaints.Take(MaxComplaints)
            .ToDictionary(c => c.Key, c => (IReadOnlyList<string>)c.Value.Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal));
    }

    /// <summary>Descends only into failed evaluations; an <c>if</c> that failed is a condition, not a complaint.</summary>
    private static void Collect(EvaluationResults node, Dictionary<string, List<string>> complaints)
    {
        if (node.IsValid || node.EvaluationPath.ToString().EndsWith("/if", StringComparison.Ordinal))
        {
            return;
        }

        if (node.Errors is { Count: > 0 } errors)
        {
            var place = Place(node.InstanceLocation.ToString());
            if (!complaints.TryGetValue(place, out var list))
            {
                list = [];
                complaints[place] = list;
            }

            list.AddRange(errors.Select(e => $"{e.Key}: {e.Value}"));
        }

        foreach (var child in node.Details ?? [])
        {
            Collect(child, complaints);
        }
    }

    /// <summary>A JSON pointer as the API names fields: <c>/epcisBody/eventList/1/action</c> → <c>epcisBody.eventList[1].action</c>.</summary>
    private static string Place(string pointer)
    {
        if (pointer.Length == 0 || pointer == "/")
        {
            return "$";
        }

        var builder = new StringBuilder();
        foreach (var raw in pointer.TrimStart('/').Split('/'))
        {
            var segment = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (segment.Length > 0 && segment.All(char.IsAsciiDigit))
            {
                builder.Append('[').Append(segment).Append(']');
            }
            else
            {
                builder.Append(builder.Length == 0 ? string.Empty : ".").Append(segment);
            }
        }

        return builder.ToString();
    }
}

/// <summary>Whether a document matched the schema, and if not, the complaints by place.</summary>
public sealed record SchemaVerdict(bool IsValid, IReadOnlyDictionary<string, IReadOnlyList<string>> Complaints)
{
    public static readonly SchemaVerdict Valid = new(true, new Dictionary<string, IReadOnlyList<string>>());

    /// <summary>The complaints as one line each: <c>place: complaint</c>.</summary>
    public IEnumerable<string> Lines => Complaints.SelectMany(c => c.Value.Select(v => $"{c.Key}: {v}"));
}
