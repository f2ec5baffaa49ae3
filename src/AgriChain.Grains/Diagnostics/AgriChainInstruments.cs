using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AgriChain.Grains.Diagnostics;

/// <summary>The <c>AgriChain</c> meter and activity source: what the business does, counted where it happens.</summary>
public sealed class AgriChainInstruments
{
    public const string MeterName = "AgriChain";
    public const string ActivitySourceName = "AgriChain";

    /// <summary>Tag naming the kind of resource (<c>farm</c>, <c>greenhouse</c>...).</summary>
    public const string KindTag = "agrichain.kind";

    /// <summary>Tag naming why a key was rejected.</summary>
    public const string ReasonTag = "agrichain.reason";

    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    public AgriChainInstruments(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        MasterDataWrites = meter.CreateCounter<long>("agrichain.master_data.writes", "{write}",
            "Master data created or changed (cooperatives, buyers, farms, greenhouses).");
        ReadingsIngestedCounter = meter.CreateCounter<long>("agrichain.readings.ingested", "{reading}",
            "Greenhouse readings stored (duplicates not counted).");
        AlertsOpenedCounter = meter.CreateCounter<long>("agrichain.alerts.opened", "{alert}", "Condition alerts opened.");
        BatchesCreatedCounter = meter.CreateCounter<long>("agrichain.batches.created", "{batch}", "Product batches created.");
        ApiKeysIssued = meter.CreateCounter<long>("agrichain.api_keys.issued", "{key}", "API keys issued.");
        AuthRejections = meter.CreateCounter<long>("agrichain.auth.rejections", "{request}",
            "Requests whose API key was malformed, unknown, wrong or revoked.");
    }

    public Counter<long> MasterDataWrites { get; }

    public Counter<long> ReadingsIngestedCounter { get; }

    public Counter<long> AlertsOpenedCounter { get; }

    public Counter<long> BatchesCreatedCounter { get; }

    public Counter<long> ApiKeysIssued { get; }

    public Counter<long> AuthRejections { get; }

    public void BatchCreated() => BatchesCreatedCounter.Add(1);

    public void ReadingsIngested(int count) => ReadingsIngestedCounter.Add(count);

    public void AlertsOpened(int count)
    {
        if (count > 0)
        {
            AlertsOpenedCounter.Add(count);
        }
    }

    public void MasterDataWritten(string kind) => MasterDataWrites.Add(1, new KeyValuePair<string, object?>(KindTag, kind));
}
