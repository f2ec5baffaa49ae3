using System.Diagnostics.Metrics;
using AgriChain.Grains.Diagnostics;

namespace AgriChain.Server.Hosting;

/// <summary>The <c>AgriChain</c> meter's instruments for requests that met a silo failure.</summary>
internal sealed class ClusterRetryInstruments
{
    public ClusterRetryInstruments(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(AgriChainInstruments.MeterName);
        RetriesCounter = meter.CreateCounter<long>("agrichain.cluster.request_retries", "{retry}",
            "HTTP requests run again because a grain call failed during a silo failure or membership change.");
        UnavailableCounter = meter.CreateCounter<long>("agrichain.cluster.requests_unavailable", "{request}",
            "HTTP requests answered 503 because the cluster could not serve them within Cluster:Retry:Deadline.");
    }

    public Counter<long> RetriesCounter { get; }

    public Counter<long> UnavailableCounter { get; }

    public void Retried() => RetriesCounter.Add(1);

    public void Unavailable() => UnavailableCounter.Add(1);
}
