using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgriChain.Domain.Epcis;

/// <summary>Which list of an event an identifier came from, as the query's MATCH_ parameters distinguish them.</summary>
public enum EpcisIdRole
{
    /// <summary><c>epcList</c> or <c>childEPCs</c>.</summary>
    Epc = 0,

    /// <summary><c>parentID</c>.</summary>
    Parent = 1,

    /// <summary><c>inputEPCList</c>.</summary>
    Input = 2,

    /// <summary><c>outputEPCList</c>.</summary>
    Output = 3,

    /// <summary><c>quantityList</c> or <c>childQuantityList</c>.</summary>
    Class = 4,

    /// <summary><c>inputQuantityList</c>.</summary>
    InputClass = 5,

    /// <summary><c>outputQuantityList</c>.</summary>
    OutputClass = 6,
}

/// <summary>An identifier an event names, and the AgriChain batch it is the lot of, if any.</summary>
public sealed record EpcisIdentifier(EpcisIdRole Role, string Value, string? BatchId);

/// <summary>
/// One event ready for the read model: the columns queries filter on, the identifiers it names, and its JSON as it will
/// be answered (with its eventID, the repository's recordTime, and the document's extra JSON-LD context when it had one).
/// </summary>
public sealed record EpcisEventRecord(
    string EventId,
    string EventType,
    DateTimeOffset EventTime,
    DateTimeOffset RecordTime,
    string? Action,
    string? BizStep,
    string? Disposition,
    string? ReadPoint,
    string? BizLocation,
    bool ErrorDeclared,
    IReadOnlyList<EpcisIdentifier> Identifiers,
    string Body)
{
    /// <summary>The AgriChain batches this event names.</summary>
    public IEnumerable<string> BatchIds => Identifiers.Select(i => i.BatchId).OfType<string>().Distinct(StringComparer.Ordinal);
}

/// <summary>A captured document's events, or why it cannot be captured although it matched the schema.</summary>
public sealed record CaptureContent(IReadOnlyList<EpcisEventRecord> Events, int EventCount, string? Problem);

/// <summary>
/// Prepares a schema-valid EPCIS document for storage: each event gets its <c>eventID</c> (kept when given, else the
/// content hash of <see cref="EpcisEventHash"/>) and the capture's <c>recordTime</c>; an event given twice in one
/// document is kept once (the copy carrying an <c>errorDeclaration</c> wins).
/// </summary>
public static class EpcisCapture
{
    private static readonly HashSet<string> Replaced = new(StringComparer.Ordinal) { "recordTime", "@context" };

    public static CaptureContent Prepare(JsonElement document, DateTimeOffset recordTime)
    {
        if (document.ValueKind != JsonValueKind.Object
            || !document.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "EPCISDocument")
        {
            return new([], 0, "Capture takes an EPCISDocument (\"type\": \"EPCISDocument\").");
        }

        var (extras, prefixes) = ReadContext(document);
        var list = document.GetProperty("epcisBody").GetProperty("eventList");
        var byId = new Dictionary<string, EpcisEventRecord>(StringComparer.Ordinal);
        var order = new List<string>();
        var count = 0;
        foreach (var element in list.EnumerateArray())
        {
            count++;
            var record = Record(element, recordTime, extras, prefixes, out var problem);
            if (record is null)
            {
                return new([], count, $"epcisBody.eventList[{count - 1}]: {problem}");
            }

            if (!byId.TryGetValue(record.EventId, out var earlier))
            {
                byId[record.EventId] = record;
                order.Add(record.EventId);
            }
            else if (record.ErrorDeclared && !earlier.ErrorDeclared)
            {
                byId[record.EventId] = record;
            }
        }

        return new(order.Select(id => byId[id]).ToList(), count, null);
    }

    private static EpcisEventRecord? Record(JsonElement e, DateTimeOffset recordTime, IReadOnlyList<JsonElement> extras,
        IReadOnlyDictionary<string, string> prefixes, out string? problem)
    {
        problem = null;
        var eventType = Text(e, "type")!;
        if (!DateTimeOffset.TryParse(Text(e, "eventTime"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var eventTime))
        {
            problem = "eventTime is not a date-time.";
            return null;
        }

        var eventId = Text(e, "eventID");
        var computed = eventId is null;
        eventId ??= EpcisEventHash.Compute(JsonObject.Create(e)!, prefixes);

        var ids = new List<EpcisIdentifier>();
        Add(ids, EpcisIdRole.Epc, e, "epcList");
        Add(ids, EpcisIdRole.Epc, e, "childEPCs");
        Add(ids, EpcisIdRole.Input, e, "inputEPCList");
        Add(ids, EpcisIdRole.Output, e, "outputEPCList");
        if (Text(e, "parentID") is { } parent)
        {
            ids.Add(new(EpcisIdRole.Parent, parent, EpcisIdentifiers.BatchOf(parent)));
        }

        AddClasses(ids, EpcisIdRole.Class, e, "quantityList");
        AddClasses(ids, EpcisIdRole.Class, e, "childQuantityList");
        AddClasses(ids, EpcisIdRole.InputClass, e, "inputQuantityList");
        AddClasses(ids, EpcisIdRole.OutputClass, e, "outputQuantityList");

        var bizStep = Text(e, "bizStep");
        var disposition = Text(e, "disposition");
        return new EpcisEventRecord(
            eventId,
            eventType,
            eventTime.ToUniversalTime(),
            recordTime,
            Text(e, "action"),
            bizStep is null ? null : EpcisVocabulary.NormaliseBizStep(bizStep),
            disposition is null ? null : EpcisVocabulary.NormaliseDisposition(disposition),
            Id(e, "readPoint"),
            Id(e, "bizLocation"),
            e.TryGetProperty("errorDeclaration", out _),
            ids.DistinctBy(i => (i.Role, i.Value)).ToList(),
            Body(e, computed ? eventId : null, recordTime, extras));
    }

    /// <summary>The event as stored: as given, plus a computed eventID, the repository's recordTime and the document's extra context.</summary>
    private static string Body(JsonElement e, string? computedId, DateTimeOffset recordTime, IReadOnlyList<JsonElement> extras)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            var own = e.TryGetProperty("@context", out var ownContext) ? ownContext : (JsonElement?)null;
            if (extras.Count > 0 || own is not null)
            {
                writer.WriteStartArray("@context");
                foreach (var extra in extras)
                {
                    extra.WriteTo(writer);
                }

                if (own is { ValueKind: JsonValueKind.Array } array)
                {
                    foreach (var item in array.EnumerateArray())
                    {
                        item.WriteTo(writer);
                    }
                }
                else
                {
                    own?.WriteTo(writer);
                }

                writer.WriteEndArray();
            }

            foreach (var property in e.EnumerateObject())
            {
                if (!Replaced.Contains(property.Name))
                {
                    property.WriteTo(writer);
                }

                if (property.Name == "type" && computedId is not null)
                {
                    writer.WriteString("eventID", computedId);
                }
            }

            writer.WriteString("recordTime", EpcisVocabulary.Time(recordTime));
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// The document's context beyond the standard one (kept with each event, so that its prefixes still mean the same
    /// when the event is answered in another document), and the prefixes it defines (for hashing).
    /// </summary>
    private static (IReadOnlyList<JsonElement> Extras, IReadOnlyDictionary<string, string> Prefixes) ReadContext(JsonElement document)
    {
        var extras = new List<JsonElement>();
        var prefixes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!document.TryGetProperty("@context", out var context))
        {
            return (extras, prefixes);
        }

        IEnumerable<JsonElement> items = context.ValueKind == JsonValueKind.Array ? context.EnumerateArray() : [context];
        foreach (var item in items)
        {
            if (item.ValueKind == JsonValueKind.String && IsStandard(item.GetString()!))
            {
                continue;
            }

            extras.Add(item.Clone());
            if (item.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in item.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String))
                {
                    prefixes[property.Name] = property.Value.GetString()!;
                }
            }
        }

        return (extras, prefixes);
    }

    private static bool IsStandard(string context) =>
        context.StartsWith("https://ref.gs1.org/standards/epcis/", StringComparison.Ordinal)
        && context.EndsWith("epcis-context.jsonld", StringComparison.Ordinal);

    private static void Add(List<EpcisIdentifier> ids, EpcisIdRole role, JsonElement e, string name)
    {
        if (e.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String))
            {
                var value = item.GetString()!;
                ids.Add(new(role, value, EpcisIdentifiers.BatchOf(value)));
            }
        }
    }

    private static void AddClasses(List<EpcisIdentifier> ids, EpcisIdRole role, JsonElement e, string name)
    {
        if (e.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && Text(item, "epcClass") is { } value)
                {
                    ids.Add(new(role, value, EpcisIdentifiers.BatchOf(value)));
                }
            }
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Id(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? Text(value, "id") : null;
}
