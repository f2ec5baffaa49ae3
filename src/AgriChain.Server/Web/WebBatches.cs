using System.Collections.Concurrent;
using AgriChain.Contracts.Traceability;
using AgriChain.Server.Api.Traceability;

namespace AgriChain.Server.Web;

/// <summary>Batch actions of the pages, with the same effect as their API counterparts.</summary>
internal static class WebBatches
{
    /// <summary>
    /// Recalls the batch and everything made from it, breadth first, under the same recall id as
    /// <c>POST /api/v1/batches/{id}/recall</c>, so a recall started on the page and repeated through the API is one recall.
    /// </summary>
    public static async Task<int> RecallAsync(IGrainFactory grains, string batchId, string reason, string actor)
    {
        var recallId = BatchRules.OperationId("recall", batchId);
        var reached = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var frontier = new List<string> { batchId };
        while (frontier.Count > 0 && reached.Count < LineageReader.MaxNodes)
        {
            var next = new ConcurrentBag<string>();
            await Parallel.ForEachAsync(frontier, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, _) =>
            {
                var step = await grains.GetGrain<IBatchGrain>(id).RecallAsync(recallId, reason, actor);
                if (step.Found && reached.TryAdd(id, true))
                {
                    foreach (var child in step.Children)
                    {
                        next.Add(child);
                    }
                }
            });
            frontier = next.Distinct(StringComparer.Ordinal).Where(c => !reached.ContainsKey(c)).ToList();
        }

        return reached.Count;
    }
}
