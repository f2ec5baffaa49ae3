using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgriChain.Domain.Epcis;

/// <summary>The EPCIS 2.0 envelopes AgriChain writes: <c>EPCISDocument</c> (exports) and <c>EPCISQueryDocument</c> (queries).</summary>
public static class EpcisDocuments
{
    /// <summary>The query name of EPCIS's simple event query, which the query endpoint answers.</summary>
    public const string SimpleEventQuery = "SimpleEventQuery";

    /// <summary>The standard context plus AgriChain's own prefix.</summary>
    public static JsonArray Context() => new(
        EpcisVocabulary.StandardContext,
        new JsonObject { [EpcisIdentifiers.VocabularyPrefix] = EpcisIdentifiers.VocabularyNamespace });

    /// <summary>
    /// An <c>EPCISDocument</c> of <paramref name="events"/>. Its <c>creationDate</c> is given by the caller: an export
    /// passes the time of its newest event, so that exporting the same lineage twice gives the same document.
    /// </summary>
    public static JsonObject Document(IEnumerable<JsonNode> events, DateTimeOffset creationDate, string? sender = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        var document = new JsonObject
        {
            ["@context"] = Context(),
            ["type"] = "EPCISDocument",
            ["schemaVersion"] = EpcisVocabulary.SchemaVersion,
            ["creationDate"] = EpcisVocabulary.Time(creationDate),
        };
        if (sender is not null)
        {
            document["sender"] = sender;
        }

        document["epcisBody"] = new JsonObject { ["eventList"] = new JsonArray(events.ToArray()) };
        return document;
    }

    /// <summary>
    /// Writes an <c>EPCISQueryDocument</c> answering the simple event query with stored events (raw JSON, written as
    /// they are). A following page is named in the body as <c>agrichain:nextPageToken</c> (the standard's own way
    /// is the <c>Link</c> header, which the endpoint sets too).
    /// </summary>
    public static void WriteQueryDocument(Utf8JsonWriter writer, IEnumerable<string> events, DateTimeOffset creationDate, string? nextPageToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(events);
        writer.WriteStartObject();
        writer.WritePropertyName("@context");
        Context().WriteTo(writer);
        writer.WriteString("type", "EPCISQueryDocument");
        writer.WriteString("schemaVersion", EpcisVocabulary.SchemaVersion);
        writer.WriteString("creationDate", EpcisVocabulary.Time(creationDate));
        writer.WriteStartObject("epcisBody");
        writer.WriteStartObject("queryResults");
        writer.WriteString("queryName", SimpleEventQuery);
        writer.WriteStartObject("resultsBody");
        writer.WriteStartArray("eventList");
        foreach (var body in events)
        {
            writer.WriteRawValue(body, skipInputValidation: true);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        if (nextPageToken is not null)
        {
            writer.WriteString(EpcisIdentifiers.Field("nextPageToken"), nextPageToken);
        }

        writer.WriteEndObject();
    }
}
