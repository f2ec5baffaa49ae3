using AgriChain.Domain.Common;

namespace AgriChain.Domain.Epcis;

/// <summary>
/// The identifiers AgriChain gives its things in EPCIS, all under the private URN namespace <c>urn:agrichain:</c>
/// (AgriChain holds no GS1 company prefix, so it cannot mint GTINs, GLNs or LGTINs). They are built from ids that
/// never change (a batch id is its trace code, a greenhouse never moves to another farm), so the same thing always has
/// the same identifier, whatever host or configuration exports it. Ids are <c>[a-z0-9][a-z0-9._-]</c>, so the
/// <c>:</c> separators below are never ambiguous.
/// <list type="bullet">
/// <item>a lot (class level, like an LGTIN: product plus lot): <c>urn:agrichain:lot:{product}:{batchId}</c></item>
/// <item>a farm (a location, like an SGLN): <c>urn:agrichain:loc:farm:{farmId}</c></item>
/// <item>a greenhouse: <c>urn:agrichain:loc:greenhouse:{greenhouseId}</c></item>
/// <item>parties: <c>urn:agrichain:party:cooperative:{id}</c>, <c>urn:agrichain:party:buyer:{id}</c></item>
/// <item>a greenhouse sensor: <c>urn:agrichain:sensor:{greenhouseId}:{sensorId}</c></item>
/// <item>a split, merge or processing operation (the transformationID): <c>urn:agrichain:op:{operationId}</c></item>
/// <item>a crop profile's temperature floor (the business rule behind a below-floor alert):
/// <c>urn:agrichain:rule:temperature-floor:{crop}:{stage}</c></item>
/// <item>AgriChain's own fields (extensions): the JSON-LD prefix <c>agrichain</c> = <see cref="VocabularyNamespace"/>.</item>
/// </list>
/// </summary>
public static class EpcisIdentifiers
{
    public const string VocabularyPrefix = "agrichain";
    public const string VocabularyNamespace = "urn:agrichain:vocab:";
    private const string LotPrefix = "urn:agrichain:lot:";

    public static string Lot(string product, string batchId) => $"{LotPrefix}{product}:{batchId}";

    public static string Farm(string farmId) => $"urn:agrichain:loc:farm:{farmId}";

    public static string Greenhouse(string greenhouseId) => $"urn:agrichain:loc:greenhouse:{greenhouseId}";

    public static string Cooperative(string cooperativeId) => $"urn:agrichain:party:cooperative:{cooperativeId}";

    public static string Buyer(string buyerId) => $"urn:agrichain:party:buyer:{buyerId}";

    public static string Sensor(string greenhouseId, string sensorId) => $"urn:agrichain:sensor:{greenhouseId}:{sensorId}";

    public static string Operation(string operationId) => $"urn:agrichain:op:{operationId}";

    public static string TemperatureFloorRule(string crop, string stage) => $"urn:agrichain:rule:temperature-floor:{crop}:{stage}";

    /// <summary>An AgriChain extension field name, as written in documents (a compact IRI).</summary>
    public static string Field(string name) => $"{VocabularyPrefix}:{name}";

    /// <summary>The batch a lot identifier names, or null when <paramref name="uri"/> is not an AgriChain lot.</summary>
    public static string? BatchOf(string? uri)
    {
        if (uri is null || !uri.StartsWith(LotPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = uri.AsSpan(LotPrefix.Length);
        var colon = rest.IndexOf(':');
        if (colon <= 0)
        {
            return null;
        }

        var product = rest[..colon].ToString();
        var batchId = rest[(colon + 1)..].ToString();
        return ResourceId.IsValid(product) && ResourceId.IsValid(batchId) ? batchId : null;
    }
}
