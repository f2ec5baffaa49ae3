using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgriChain.Contracts.Epcis;
using AgriChain.Contracts.Greenhouses;
using AgriChain.Contracts.MasterData;
using AgriChain.Contracts.Traceability;
using AgriChain.Domain.Epcis;
using AgriChain.Domain.Greenhouses;
using AgriChain.Server.Api.Traceability;

namespace AgriChain.Server.Api.Epcis;

/// <summary>What an export shows: whose shipments, and whether partners' captured events are included.</summary>
public sealed record ExportView(string? OnlyShipmentsTo, bool IncludeCaptured);

/// <summary>
/// Gathers what the EPCIS export of a batch needs (the lineage graph from <see cref="LineageReader"/>, every batch of
/// the operations it touches, the farms' time zones, and each harvest greenhouse's below-floor alerts with their
/// readings), maps it to events (<see cref="LineageEvents"/>), adds the partners' captured events that name the
/// batches, and records AgriChain's own events in the read model so that the event query finds them too.
/// </summary>
public static class EpcisExporter
{
    /// <summary>A crop cycle ends in its harvest: the alerts of the year before a harvest concern it.</summary>
    public static readonly TimeSpan CropCycle = TimeSpan.FromDays(365);

    /// <summary>At most this many readings are shown per alert (the earliest).</summary>
    public const int MaxReadingsPerAlert = 1_000;

    /// <summary>At most this many captured events are added to one export.</summary>
    public const int MaxCapturedEvents = 1_000;

    private const int Parallelism = 16;

    public static async Task<JsonObject?> ExportAsync(string batchId, TraceDirection direction, int maxDepth, ExportView view,
        IGrainFactory grains, LineageReader lineage, IAlertJournal alerts, IReadingStore readings, IEpcisEventStore store,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var graph = await lineage.TraceAsync(batchId, direction, maxDepth, cancellationToken);
        if (graph is null)
        {
            return null;
        }

        var batches = new ConcurrentDictionary<string, LineageBatch>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            batches[node.Batch.Id] = From(node.Batch);
        }

        var shown = graph.Nodes.Select(n => n.Batch.Id).ToHashSet(StringComparer.Ordinal);
        await CompleteOperationsAsync(batches, shown, grains, cancellationToken);

        var zones = await FarmZonesAsync(batches.Values, grains, cancellationToken);
        var spells = await ColdSpellsAsync(batches.Values.Where(b => shown.Contains(b.Id)), grains, alerts, readings, cancellationToken);
        var snapshot = new LineageSnapshot(shown, batches, zones, spells, view.OnlyShipmentsTo);
        var own = LineageEvents.Map(snapshot);

        var root = batches[batchId];
        await RecordOwnEventsAsync(own, root, store, time, cancellationToken);

        var events = new List<JsonNode>(own);
        if (view.IncludeCaptured)
        {
            var ownIds = own.Select(e => (string)e["eventID"]!).ToHashSet(StringComparer.Ordinal);
            var captured = await store.ListCapturedForBatchesAsync(root.Spec.OwnerId, shown, MaxCapturedEvents, cancellationToken);
            events.AddRange(captured.Where(c => !ownIds.Contains(c.EventId)).Select(c => JsonNode.Parse(c.Body)!));
        }

        var times = events.Select(e => DateTimeOffset.Parse((string)e["eventTime"]!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var ordered = events.Zip(times).OrderBy(p => p.Second).ThenBy(p => (string?)p.First["eventID"], StringComparer.Ordinal).Select(p => p.First);
        var creation = times.Count > 0 ? times.Max() : root.CreatedAt;
        return EpcisDocuments.Document(ordered, creation, EpcisIdentifiers.Cooperative(root.Spec.OwnerId));
    }

    private static LineageBatch From(BatchView view) =>
        new(view.Id, view.Spec, view.Parents, view.Children, view.Events, view.CreatedAt);

    /// <summary>
    /// Fetches the batches a shown batch's operations took from or made but the graph does not hold, so that each
    /// operation becomes one whole event: outputs first, then the other inputs those outputs name.
    /// </summary>
    private static async Task CompleteOperationsAsync(ConcurrentDictionary<string, LineageBatch> batches, HashSet<string> shown,
        IGrainFactory grains, CancellationToken cancellationToken)
    {
        var operations = batches.Values.Where(b => shown.Contains(b.Id))
            .SelectMany(b => b.Parents.Concat(b.Children)).Select(l => l.OperationId).ToHashSet(StringComparer.Ordinal);
        for (var round = 0; round < 2; round++)
        {
            var missing = batches.Values.SelectMany(b => b.Parents.Concat(b.Children))
                .Where(l => operations.Contains(l.OperationId) && !batches.ContainsKey(l.BatchId))
                .Select(l => l.BatchId).Distinct(StringComparer.Ordinal).Take(LineageReader.MaxNodes).ToList();
            if (missing.Count == 0)
            {
                return;
            }

            await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                async (id, _) =>
                {
                    if (await grains.GetGrain<IBatchGrain>(id).GetAsync() is { } batch)
                    {
                        batches.TryAdd(id, From(batch));
                    }
                });
        }
    }

    private static async Task<IReadOnlyDictionary<string, TimeZoneInfo>> FarmZonesAsync(IEnumerable<LineageBatch> batches, IGrainFactory grains,
        CancellationToken cancellationToken)
    {
        var zones = new ConcurrentDictionary<string, TimeZoneInfo>(StringComparer.Ordinal);
        var farms = batches.Select(b => b.Spec.Origin?.FarmId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        await Parallel.ForEachAsync(farms, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (farmId, _) =>
            {
                var farm = await grains.GetGrain<IFarmGrain>(farmId).GetAsync();
                zones[farmId] = EpcisVocabulary.ZoneOrDefault(farm?.Profile.TimeZone);
            });
        return zones;
    }

    /// <summary>Each harvest's greenhouse's below-floor alerts opened in the crop cycle before the harvest, with their readings.</summary>
    private static async Task<IReadOnlyDictionary<string, IReadOnlyList<ColdSpell>>> ColdSpellsAsync(IEnumerable<LineageBatch> batches,
        IGrainFactory grains, IAlertJournal alerts, IReadingStore readings, CancellationToken cancellationToken)
    {
        var result = new ConcurrentDictionary<string, IReadOnlyList<ColdSpell>>(StringComparer.Ordinal);
        var harvests = batches.Where(b => b.Parents.Count == 0 && b.Spec.Origin?.GreenhouseId is not null).ToList();
        await Parallel.ForEachAsync(harvests, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (batch, token) =>
            {
                var origin = batch.Spec.Origin!;
                var greenhouseId = origin.GreenhouseId!;
                var greenhouse = await grains.GetGrain<IGreenhouseGrain>(greenhouseId).GetAsync();
                var crop = greenhouse?.Profile.Crop ?? batch.Spec.Product;
                var from = origin.HarvestedAt - CropCycle;
                var spells = new List<ColdSpell>();
                string? pageToken = null;
                do
                {
                    // Newest opened first: stop at the first page that reaches back before the cycle.
                    var page = await alerts.QueryAsync(new AlertQuery(AlertStateFilter.All, GreenhouseId: greenhouseId, Limit: 1_000, PageToken: pageToken), token);
                    foreach (var alert in page.Items.Select(r => r.Alert)
                                 .Where(a => a.Kind == AlertKind.TemperatureBelowFloor && a.OpenedAt >= from && a.OpenedAt < origin.HarvestedAt))
                    {
                        var end = (alert.ClosedAt ?? origin.HarvestedAt).AddMilliseconds(1);
                        var spanned = await readings.ReadAsync(greenhouseId, alert.OpenedAt, end, MaxReadingsPerAlert, token);
                        spells.Add(new ColdSpell(alert, crop, spanned));
                    }

                    pageToken = page.Items.Count > 0 && page.Items[^1].Alert.OpenedAt >= from ? page.NextPageToken : null;
                }
                while (pageToken is not null);

                result[batch.Id] = spells;
            });
        return result;
    }

    /// <summary>
    /// Records the export's own events in the owner's scope of the read model (once: an event already there is left as
    /// it is), so that the event query answers AgriChain's events beside the partners'.
    /// </summary>
    private static async Task RecordOwnEventsAsync(IReadOnlyList<JsonObject> own, LineageBatch root, IEpcisEventStore store, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (own.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        using var document = JsonDocument.Parse(EpcisDocuments.Document(own.Select(e => e.DeepClone()), now).ToJsonString());
        var content = EpcisCapture.Prepare(document.RootElement, now);
        var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(string.Join('|', content.Events.Select(e => e.EventId)))))[..32];
        await store.CaptureAsync(new EpcisCaptureRequest($"export-{digest}", root.Spec.OwnerId, EpcisEventSource.Export, "export", now,
            content.EventCount, content.Events), cancellationToken);
    }
}
