using System.Globalization;

namespace AgriChain.Domain.Epcis;

/// <summary>The EPCIS 2.0 and CBV 2.0 words AgriChain writes and reads, and how values are written.</summary>
public static class EpcisVocabulary
{
    /// <summary>The standard JSON-LD context of EPCIS 2.0 documents.</summary>
    public const string StandardContext = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

    public const string SchemaVersion = "2.0";

    public const string ObjectEvent = "ObjectEvent";
    public const string AggregationEvent = "AggregationEvent";
    public const string TransactionEvent = "TransactionEvent";
    public const string TransformationEvent = "TransformationEvent";
    public const string AssociationEvent = "AssociationEvent";

    /// <summary>The five event types of EPCIS 2.0.</summary>
    public static readonly IReadOnlySet<string> EventTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent, AssociationEvent,
    };

    private const string BizStepUri = "https://ref.gs1.org/cbv/BizStep-";
    private const string BizStepUrn = "urn:epcglobal:cbv:bizstep:";
    private const string DispositionUri = "https://ref.gs1.org/cbv/Disp-";
    private const string DispositionUrn = "urn:epcglobal:cbv:disp:";

    /// <summary>
    /// A business step as stored and compared: a CBV step in its bare form (<c>shipping</c>, also when written as
    /// <c>https://ref.gs1.org/cbv/BizStep-shipping</c> or <c>urn:epcglobal:cbv:bizstep:shipping</c>), anything else as given.
    /// </summary>
    public static string NormaliseBizStep(string value) => Strip(value, BizStepUri, BizStepUrn);

    /// <summary>A disposition as stored and compared, like <see cref="NormaliseBizStep"/>.</summary>
    public static string NormaliseDisposition(string value) => Strip(value, DispositionUri, DispositionUrn);

    /// <summary>The full URI of a CBV value written in its bare form (for hashing), or the value when it is a URI already.</summary>
    public static string Expand(string value, string cbvPrefix) =>
        value.Contains(':', StringComparison.Ordinal) ? value : cbvPrefix + value;

    public const string CbvBizStep = BizStepUri;
    public const string CbvDisposition = DispositionUri;
    public const string CbvSourceDestType = "https://ref.gs1.org/cbv/SDT-";
    public const string CbvBizTransactionType = "https://ref.gs1.org/cbv/BTT-";
    public const string CbvErrorReason = "https://ref.gs1.org/cbv/ER-";
    public const string Gs1Vocabulary = "https://gs1.org/voc/";

    /// <summary>
    /// The UN/CEFACT code of a unit AgriChain counts in, or null for units counted in pieces (bottle, piece, egg,
    /// bird, box), which EPCIS writes as a quantity without a unit.
    /// </summary>
    public static string? UnitOfMeasure(string unit) => unit switch
    {
        "kg" => "KGM",
        "t" => "TNE",
        "L" => "LTR",
        _ => null,
    };

    /// <summary>An instant as EPCIS times are written here: UTC, milliseconds, <c>Z</c>.</summary>
    public static string Time(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The offset of <paramref name="zone"/> at <paramref name="at"/>, as <c>+08:00</c>.</summary>
    public static string TimeZoneOffset(TimeZoneInfo zone, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var offset = zone.GetUtcOffset(at);
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{abs.Hours:00}:{abs.Minutes:00}");
    }

    /// <summary>A decimal without trailing zeros, so that 300, 300.0 and 300.00 are written (and hashed) alike.</summary>
    public static decimal Normalise(decimal value) => value / 1.000000000000000000000000000000000m;

    /// <summary>A time zone by id, or UTC+8 (China Standard Time, the farms' default) when this machine does not know it.</summary>
    public static TimeZoneInfo ZoneOrDefault(string? id)
    {
        if (id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
        {
            return zone;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById("Asia/Shanghai", out var shanghai)
            ? shanghai
            : TimeZoneInfo.CreateCustomTimeZone("UTC+08", TimeSpan.FromHours(8), "UTC+08", "UTC+08");
    }

    private static string Strip(string value, string uri, string urn)
    {
        if (value.StartsWith(uri, StringComparison.Ordinal))
        {
            return value[uri.Length..];
        }

        return value.StartsWith(urn, StringComparison.Ordinal) ? value[urn.Length..] : value;
    }
}
