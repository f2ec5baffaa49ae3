using AgriChain.Contracts.MasterData;
using AgriChain.Contracts.Processing;
using AgriChain.Contracts.Traceability;
using AgriChain.Domain.Processing;
using AgriChain.Domain.Traceability;

namespace AgriChain.Server.Api.Traceability;

/// <summary>Where some of a batch's produce was harvested, with the farm's master data when it still exists.</summary>
internal sealed record PublicTraceOrigin(TraceOrigin Origin, int Depth, FarmView? Farm);

/// <summary>A batch made from another by processing (a <c>transform</c> edge upstream of the page's batch).</summary>
internal sealed record PublicTraceSource(BatchView Product, BatchView Source);

/// <summary>A completed processing run that made the batch or a batch it was made from, with the steps it went through.</summary>
internal sealed record PublicTraceProcess(BatchView Product, RunView Run);

/// <summary>An inspection of the batch or of a batch it was made from.</summary>
internal sealed record PublicTraceInspection(BatchView Batch, BatchEvent Event);

/// <summary>
/// What the certificate and the public trace page are rendered from: the batch, its lineage upstream, its producer
/// and the farms it came from. Both pages read only upstream: nothing downstream (where product went, to whom) is
/// ever loaded for them.
/// </summary>
internal sealed record PublicTraceModel(
    BatchView Batch,
    TraceNode Root,
    CooperativeView? Producer,
    IReadOnlyList<PublicTraceOrigin> Origins,
    int MoreFarms,
    IReadOnlyList<PublicTraceSource> MadeFrom,
    IReadOnlyList<PublicTraceInspection> Inspections,
    IReadOnlyList<PublicTraceProcess> Processes)
{
    /// <summary>Farms looked up and shown at most; a merge of many harvests lists the nearest ones.</summary>
    public const int MaxOrigins = 20;

    public const int MaxSources = 20;

    public const int MaxInspections = 50;

    public const int MaxProcesses = 5;

    /// <summary>The origin nearest to the batch (its own when it was harvested), the earliest harvest on a tie.</summary>
    public PublicTraceOrigin? FirstOrigin => Origins.Count > 0 ? Origins[0] : null;

    /// <summary>True when some produce in the batch grew in a greenhouse whose conditions are known.</summary>
    public bool HasGreenhouseOrigin => Origins.Any(o => o.Origin.GreenhouseId is not null);

    /// <summary>The batch and its lineage upstream, or null when there is no such batch.</summary>
    public static async Task<PublicTraceModel?> LoadAsync(IGrainFactory grains, LineageReader lineage, string batchId,
        CancellationToken cancellationToken)
    {
        var graph = await lineage.TraceAsync(batchId, TraceDirection.Upstream, LineageReader.DefaultDepth, cancellationToken);
        if (graph is null)
        {
            return null;
        }

        var root = graph.Nodes.First(n => n.Batch.Id == graph.Root);
        var nodes = graph.Nodes.ToDictionary(n => n.Batch.Id, StringComparer.Ordinal);

        var nearest = graph.Origins
            .OrderBy(o => Math.Abs(nodes[o.BatchId].Depth))
            .ThenBy(o => o.HarvestedAt)
            .ThenBy(o => o.BatchId, StringComparer.Ordinal)
            .ToList();
        var allFarmIds = nearest.Select(o => o.FarmId).Distinct(StringComparer.Ordinal).ToList();
        var farmIds = allFarmIds.Take(MaxOrigins).ToList();
        var shown = nearest.Where(o => farmIds.Contains(o.FarmId, StringComparer.Ordinal)).ToList();

        var producerTask = grains.GetGrain<ICooperativeGrain>(root.Batch.Spec.OwnerId).GetAsync();
        var farmViews = await Task.WhenAll(farmIds.Select(id => grains.GetGrain<IFarmGrain>(id).GetAsync()));
        var producer = await producerTask;
        var farms = farmIds.Zip(farmViews).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);

        var origins = shown.Select(o => new PublicTraceOrigin(o, nodes[o.BatchId].Depth, farms[o.FarmId])).ToList();
        var madeFrom = graph.Edges
            .Where(e => e.Kind == EdgeKind.Transform && nodes.ContainsKey(e.From) && nodes.ContainsKey(e.To))
            .OrderBy(e => Math.Abs(nodes[e.To].Depth))
            .ThenBy(e => e.From, StringComparer.Ordinal)
            .Select(e => new PublicTraceSource(nodes[e.To].Batch, nodes[e.From].Batch))
            .Take(MaxSources)
            .ToList();
        var inspections = graph.Nodes
            .SelectMany(n => n.Batch.Events.Where(e => e.Type == BatchEventType.Inspected)
                .Select(e => new PublicTraceInspection(n.Batch, e)))
            .OrderBy(i => i.Event.At)
            .ThenBy(i => i.Event.Id, StringComparer.Ordinal)
            .TakeLast(MaxInspections)
            .ToList();

        var processes = await ProcessesAsync(grains, graph, nodes);
        return new PublicTraceModel(root.Batch, root, producer, origins, allFarmIds.Count - farmIds.Count, madeFrom, inspections, processes);
    }

    /// <summary>The completed processing runs behind the transformations upstream, nearest first.</summary>
    private static async Task<IReadOnlyList<PublicTraceProcess>> ProcessesAsync(IGrainFactory grains, TraceGraph graph,
        IReadOnlyDictionary<string, TraceNode> nodes)
    {
        var made = graph.Nodes
            .OrderBy(n => Math.Abs(n.Depth))
            .ThenBy(n => n.Batch.Id, StringComparer.Ordinal)
            .SelectMany(n => n.Batch.Parents.Where(p => p.Kind == EdgeKind.Transform)
                .Select(p => (Product: n.Batch, RunId: ProcessingOperations.RunIdOf(p.OperationId))))
            .Where(m => m.RunId is not null)
            .DistinctBy(m => m.RunId, StringComparer.Ordinal)
            .Take(MaxProcesses)
            .ToList();
        var runs = await Task.WhenAll(made.Select(m => grains.GetGrain<IProcessingRunGrain>(m.RunId!).GetAsync()));
        return made.Zip(runs)
            .Where(p => p.Second is { Status: RunStatus.Completed })
            .Select(p => new PublicTraceProcess(p.First.Product, p.Second!))
            .ToList();
    }
}
