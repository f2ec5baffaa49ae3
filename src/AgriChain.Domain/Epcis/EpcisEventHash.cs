using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgriChain.Domain.Epcis;

/// <summary>
/// Event ids from the content of an event, after the EPCIS event hash algorithm of GS1's CBV 2.0 (§8.9): the event is
/// written as a canonical pre-hash string (the standard fields in the standard's order, each as <c>name=value</c>,
/// lists sorted, times in UTC to the millisecond, CBV values as full URIs, numbers without trailing zeros, extension
/// fields by expanded name in lexical order; <c>eventID</c>, <c>recordTime</c>, <c>errorDeclaration</c> and
/// <c>certificationInfo</c> left out), hashed with SHA-256 and named <c>ni:///sha-256;{hex}?ver=CBV2.0</c>. The same
/// content always gives the same id, whatever the property order or time zone it was written in. GS1 identifiers are
/// not rewritten as Digital Link URIs first, so for events with GS1 URNs the id can differ from GS1's reference tool.
/// </summary>
public static class EpcisEventHash
{
    private static readonly string[] StandardOrder =
    [
        "eventTime", "eventTimeZoneOffset", "parentID", "epcList", "inputEPCList", "childEPCs", "quantityList",
        "childQuantityList", "inputQuantityList", "outputEPCList", "outputQuantityList", "action", "transformationID",
        "bizStep", "disposition", "persistentDisposition", "readPoint", "bizLocation", "bizTransactionList",
        "sourceList", "destinationList", "sensorElementList", "ilmd",
    ];

    private static readonly HashSet<string> LeftOut = new(StringComparer.Ordinal)
    {
        "@context", "type", "eventID", "recordTime", "errorDeclaration", "certificationInfo",
    };

    private static readonly HashSet<string> TimeFields = new(StringComparer.Ordinal)
    {
        "eventTime", "time", "startTime", "endTime",
    };

    /// <summary>The content-derived id of <paramref name="eventObject"/>.</summary>
    /// <param name="eventObject">The event.</param>
    /// <param name="prefixes">JSON-LD prefixes of the document (<c>example</c> → <c>http://ns.example.com/epcis/</c>), to expand extension names.</param>
    public static string Compute(JsonObject eventObject, IReadOnlyDictionary<string, string> prefixes)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(PreHashString(eventObject, prefixes)));
        return $"ni:///sha-256;{Convert.ToHexStringLower(digest)}?ver=CBV2.0";
    }

    /// <summary>The canonical string that <see cref="Compute"/> hashes.</summary>
    public static string PreHashString(JsonObject eventObject, IReadOnlyDictionary<string, string> prefixes)
    {
        ArgumentNullException.ThrowIfNull(eventObject);
        ArgumentNullException.ThrowIfNull(prefixes);
        var builder = new StringBuilder(512);
        builder.Append("eventType=").Append(Scalar(eventObject["type"]));
        foreach (var name in StandardOrder)
        {
            if (eventObject[name] is { } value)
            {
                builder.Append(Field(name, value, prefixes));
            }
        }

        var extensions = eventObject
            .Where(p => p.Value is not null && !LeftOut.Contains(p.Key) && Array.IndexOf(StandardOrder, p.Key) < 0)
            .Select(p => Field(Expand(p.Key, prefixes), p.Value!, prefixes))
            .Order(StringComparer.Ordinal);
        foreach (var extension in extensions)
        {
            builder.Append(extension);
        }

        return builder.ToString();
    }

    private static string Field(string name, JsonNode value, IReadOnlyDictionary<string, string> prefixes)
    {
        switch (name)
        {
            case "epcList" or "inputEPCList" or "childEPCs" or "outputEPCList":
                return name + Sorted(Items(value).Select(v => "epc=" + Scalar(v)));
            case "quantityList" or "childQuantityList" or "inputQuantityList" or "outputQuantityList":
                return name + Sorted(Items(value).Select(q => "quantityElement" + Ordered(q, ["epcClass", "quantity", "uom"], prefixes)));
            case "eventTime":
                return "eventTime=" + Time(value);
            case "bizStep":
                return "bizStep=" + EpcisVocabulary.Expand(Scalar(value), EpcisVocabulary.CbvBizStep);
            case "disposition":
                return "disposition=" + EpcisVocabulary.Expand(Scalar(value), EpcisVocabulary.CbvDisposition);
            case "persistentDisposition":
                return name + Sorted(Items(value["set"]).Select(v => "set=" + EpcisVocabulary.Expand(Scalar(v), EpcisVocabulary.CbvDisposition)))
                    + Sorted(Items(value["unset"]).Select(v => "unset=" + EpcisVocabulary.Expand(Scalar(v), EpcisVocabulary.CbvDisposition)));
            case "readPoint" or "bizLocation":
                return name + Generic(value, prefixes);
            case "bizTransactionList":
                return name + Sorted(Items(value).Select(t => "bizTransaction=" + Scalar(t?["bizTransaction"])
                    + Optional("type", t?["type"], v => EpcisVocabulary.Expand(v, EpcisVocabulary.CbvBizTransactionType))));
            case "sourceList" or "destinationList":
                var member = name == "sourceList" ? "source" : "destination";
                return name + Sorted(Items(value).Select(s => member + "=" + Scalar(s?[member])
                    + Optional("type", s?["type"], v => EpcisVocabulary.Expand(v, EpcisVocabulary.CbvSourceDestType))));
            case "sensorElementList":
                return name + Sorted(Items(value).Select(e => "sensorElement" + SensorElement(e, prefixes)));
            default:
                return name + Generic(value, prefixes);
        }
    }

    private static string SensorElement(JsonNode? element, IReadOnlyDictionary<string, string> prefixes)
    {
        if (element is not JsonObject obj)
        {
            return "=" + Scalar(element);
        }

        var builder = new StringBuilder();
        if (obj["sensorMetadata"] is { } metadata)
        {
            builder.Append("sensorMetadata").Append(Generic(metadata, prefixes));
        }

        if (obj["sensorReport"] is { } reports)
        {
            builder.Append("sensorReport").Append(Sorted(Items(reports).Select(r => "sensorReport" + Generic(r, prefixes))));
        }

        foreach (var extension in obj.Where(p => p.Key is not ("sensorMetadata" or "sensorReport") && p.Value is not null)
                     .Select(p => Expand(p.Key, prefixes) + Generic(p.Value!, prefixes)).Order(StringComparer.Ordinal))
        {
            builder.Append(extension);
        }

        return builder.ToString();
    }

    /// <summary>Any value: a scalar as <c>=value</c>, an object as its members by expanded name, an array as its sorted items.</summary>
    private static string Generic(JsonNode? value, IReadOnlyDictionary<string, string> prefixes, string? name = null) => value switch
    {
        JsonObject obj => string.Concat(obj.Where(p => p.Value is not null)
            .Select(p => Expand(p.Key, prefixes) + Generic(p.Value, prefixes, p.Key)).Order(StringComparer.Ordinal)),
        JsonArray array => Sorted(array.Select(item => Generic(item, prefixes, name))),
        _ => "=" + (name switch
        {
            _ when name is not null && TimeFields.Contains(name) => Time(value),
            "type" => MeasurementType(Scalar(value)),
            _ => Scalar(value),
        }),
    };

    private static string Ordered(JsonNode? value, string[] names, IReadOnlyDictionary<string, string> prefixes)
    {
        if (value is not JsonObject obj)
        {
            return "=" + Scalar(value);
        }

        var builder = new StringBuilder();
        foreach (var name in names)
        {
            if (obj[name] is { } member)
            {
                builder.Append(name).Append('=').Append(Scalar(member));
            }
        }

        foreach (var extension in obj.Where(p => Array.IndexOf(names, p.Key) < 0 && p.Value is not null)
                     .Select(p => Expand(p.Key, prefixes) + Generic(p.Value, prefixes)).Order(StringComparer.Ordinal))
        {
            builder.Append(extension);
        }

        return builder.ToString();
    }

    private static string Optional(string name, JsonNode? value, Func<string, string> map) =>
        value is null ? string.Empty : name + "=" + map(Scalar(value));

    private static string MeasurementType(string value) =>
        value.Contains(':', StringComparison.Ordinal) ? value : EpcisVocabulary.Gs1Vocabulary + value;

    private static JsonArray Items(JsonNode? value) => value as JsonArray ?? [];

    private static string Sorted(IEnumerable<string> items) => string.Concat(items.Order(StringComparer.Ordinal));

    private static string Expand(string name, IReadOnlyDictionary<string, string> prefixes)
    {
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && prefixes.TryGetValue(name[..colon], out var ns) ? ns + name[(colon + 1)..] : name;
    }

    private static string Time(JsonNode? value)
    {
        var text = Scalar(value);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            ? EpcisVocabulary.Time(at)
            : text;
    }

    /// <summary>A scalar as text: strings as they are, numbers without trailing zeros, booleans in lower case.</summary>
    internal static string Scalar(JsonNode? value)
    {
        if (value is not JsonValue scalar)
        {
            return value?.ToJsonString() ?? string.Empty;
        }

        switch (scalar.GetValueKind())
        {
            case JsonValueKind.String:
                return scalar.GetValue<string>();
            case JsonValueKind.Number:
                return scalar.TryGetValue<decimal>(out var number)
                    ? EpcisVocabulary.Normalise(number).ToString(CultureInfo.InvariantCulture)
                    : scalar.ToJsonString();
            case JsonValueKind.True:
                return "true";
            case JsonValueKind.False:
                return "false";
            default:
                return scalar.ToJsonString();
        }
    }
}
