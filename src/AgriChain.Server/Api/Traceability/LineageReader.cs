using System.Collections.Concurrent;
using AgriChain.Contracts.Greenhouses;
using AgriChain.Contracts.Traceability;
using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.Traceability;

namespace AgriChain.Server.Api.Traceability;

public enum TraceDirection
{
    Upstream,
    Downstream,
    Both,
}

/// <summary>A batch in a trace, with how far from the root it is (negative upstream) and its condition flags.</summary>
public sealed record TraceNode(BatchView Batch, int Depth, bool ColdEvent, bool ConditionsUnverified);

public sealed record TraceEdge(string From, string To, decimal Quantity, EdgeKind Kind);

/// <summary>Where produce in the trace was harvested, with the conditions of its crop cycle when a greenhouse grew it.</summary>
public sealed record TraceOrigin(string BatchId, string FarmId, string? GreenhouseId, DateTimeOffset HarvestedAt,
    ColdExposure? ColdExposure, bool ColdEvent, bool ConditionsUnverified);

public sealed record TraceShipment(string BatchId, string BuyerId, decimal Quantity, DateTimeOffset At);

public sealed record TraceGraph(string Root, IReadOnlyList<TraceNode> Nodes, IReadOnlyList<TraceEdge> Edges,
    IReadOnlyList<TraceOrigin> Origins, IReadOnlyList<TraceShipment> Shipments, bool Truncated);

/// <summary>
/// Walks a batch's lineage level by level, fetching each level's batches in parallel (bounded), visiting a shared
/// ancestor once, and stopping at the depth cap. Condition flags come from every origin upstream of a batch: a
/// <c>coldEvent</c> or <c>conditionsUnverified</c> anywhere upstream is inherited by all that descends from it.
/// </summary>
public sealed class LineageReader(IGrainFactory grains)
{
    public const int DefaultDepth = 20;
    public const int MaxDepth = 50;
    public const int MaxNodes = 5_000;
    private const int Parallelism = 64;

    public async Task<TraceGraph?> TraceAsync(string batchId, TraceDirection direction, int maxDepth, CancellationToken cancellationToken)
    {
        var root = await grains.GetGrain<IBatchGrain>(batchId).GetAsync();
        if (root is null)
        {
            return null;
        }

        var nodes = new ConcurrentDictionary<string, (BatchView Batch, int Depth)>(StringComparer.Ordinal) { [batchId] = (root, 0) };
        var truncated = false;
        if (direction is TraceDirection.Upstream or TraceDirection.Both)
        {
            truncated |= await WalkAsync(nodes, [root], b => b.Parents.Select(p => p.BatchId), -1, maxDepth, cancellationToken);
        }

        if (direction is TraceDirection.Downstream or TraceDirection.Both)
        {
            truncated |= await WalkAsync(nodes, [root], b => b.Children.Select(c => c.BatchId), +1, maxDepth, cancellationToken);
        }

        // Flags are inherited from every ancestor, including those of a downstream batch's other parents: fetch the
        // ancestors the graph does not show yet (they stay out of the answer).
        var ancestors = new ConcurrentDictionary<string, (BatchView Batch, int Depth)>(nodes, StringComparer.Ordinal);
        await WalkAsync(ancestors, nodes.Values.Select(n => n.Batch).ToList(), b => b.Parents.Select(p => p.BatchId), -1, MaxDepth, cancellationToken);

        var origins = await OriginsAsync(ancestors.Values.Select(v => v.Batch), cancellationToken);
        var flags = new Dictionary<string, (bool Cold, bool Unverified)>(StringComparer.Ordinal);
        foreach (var id in nodes.Keys)
        {
            FlagsOf(id, ancestors, origins, flags);
        }

        var graphNodes = nodes.Values.OrderBy(n => n.Depth).ThenBy(n => n.Batch.Id, StringComparer.Ordinal)
            .Select(n => new TraceNode(n.Batch, n.Depth, flags[n.Batch.Id].Cold, flags[n.Batch.Id].Unverified)).ToList();
        var edges = nodes.Values.SelectMany(n => n.Batch.Children.Where(c => nodes.ContainsKey(c.BatchId))
                .Select(c => new TraceEdge(n.Batch.Id, c.BatchId, c.Quantity, c.Kind)))
            .Distinct().ToList();
        var shipments = nodes.Values.SelectMany(n => n.Batch.Events.Where(e => e.Type == BatchEventType.Shipped)
                .Select(e => new TraceShipment(n.Batch.Id, e.BuyerId!, e.Quantity!.Value, e.At)))
            .OrderBy(s => s.At).ToList();
        var shownOrigins = origins.Values.Where(o => nodes.ContainsKey(o.BatchId)).OrderBy(o => o.HarvestedAt).ToList();
        return new TraceGraph(batchId, graphNodes, edges, shownOrigins, shipments, truncated);
    }

    /// <summary>Breadth-first from <paramref name="start"/>; true when the depth or size cap cut the walk short.</summary>
    private async Task<bool> WalkAsync(ConcurrentDictionary<string, (BatchView Batch, int Depth)> seen, IReadOnlyList<BatchView> start,
        Func<BatchView, IEnumerable<string>> next, int step, int maxDepth, CancellationToken cancellationToken)
    {
        var frontier = start.ToList();
        for (var depth = 1; frontier.Count > 0; depth++)
        {
            var ids = frontier.SelectMany(next).Distinct(StringComparer.Ordinal).Where(id => !seen.ContainsKey(id)).ToList();
            if (ids.Count == 0)
            {
                return false;
            }

            if (depth > maxDepth || seen.Count + ids.Count > MaxNodes)
            {
                return true;
            }

            var level = new ConcurrentBag<BatchView>();
            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                async (id, _) =>
                {
                    if (await grains.GetGrain<IBatchGrain>(id).GetAsync() is { } batch && seen.TryAdd(id, (batch, depth * step)))
                    {
                        level.Add(batch);
                    }
                });
            frontier = [.. level];
        }

        return false;
    }

    private async Task<Dictionary<string, TraceOrigin>> OriginsAsync(IEnumerable<BatchView> batches, CancellationToken cancellationToken)
    {
        var origins = new ConcurrentDictionary<string, TraceOrigin>(StringComparer.Ordinal);
        // A split part inherits its origin; the harvest itself is the batch with an origin and no parents.
        var harvested = batches.Where(b => b.Spec.Origin is not null && b.Parents.Count == 0).ToList();
        await Parallel.ForEachAsync(harvested, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (batch, _) =>
            {
                var origin = batch.Spec.Origin!;
                var summary = origin.GreenhouseId is { } gh
                    ? await grains.GetGrain<IGreenhouseGrain>(gh).GetConditionSummaryAsync(origin.HarvestedAt)
                    : null;
                origins[batch.Id] = new TraceOrigin(batch.Id, origin.FarmId, origin.GreenhouseId, origin.HarvestedAt,
                    summary?.ColdExposure, summary?.ColdEvent ?? false, summary?.ConditionsUnverified ?? false);
            });
        return new Dictionary<string, TraceOrigin>(origins, StringComparer.Ordinal);
    }

    private static (bool Cold, bool Unverified) FlagsOf(string id, IReadOnlyDictionary<string, (BatchView Batch, int Depth)> all,
        IReadOnlyDictionary<string, TraceOrigin> origins, Dictionary<string, (bool, bool)> memo)
    {
        if (memo.TryGetValue(id, out var known))
        {
            return known;
        }

        // Marks the node first, so that even a malformed cycle ends.
        memo[id] = (false, false);
        var cold = false;
        var unverified = false;
        if (origins.TryGetValue(id, out var origin))
        {
            cold = origin.ColdEvent;
            unverified = origin.ConditionsUnverified;
        }

        if (all.TryGetValue(id, out var node))
        {
            foreach (var parent in node.Batch.Parents.Select(p => p.BatchId).Distinct(StringComparer.Ordinal))
            {
                var (c, u) = FlagsOf(parent, all, origins, memo);
                cold |= c;
                unverified |= u;
            }
        }

        memo[id] = (cold, unverified);
        return (cold, unverified);
    }
}
