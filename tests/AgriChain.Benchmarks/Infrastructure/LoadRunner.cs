using System.Diagnostics;

namespace AgriChain.Benchmarks.Infrastructure;

/// <summary>
/// Runs workers in a closed loop for a fixed time: each worker awaits its step, records the step's latency and the
/// number of items it carried, and starts the next. Bounded in time and in failures: after too many failed steps the
/// run stops with the last error.
/// </summary>
internal static class LoadRunner
{
    private const int MaxFailures = 50;

    /// <summary>One step of worker <c>worker</c>: returns how many items it carried (0 for a failure it already counted).</summary>
    public delegate Task<int> Step(int worker, CancellationToken cancellationToken);

    public static async Task<LoadResult> RunAsync(int workers, TimeSpan duration, Step step, TimeSpan? pace = null,
        CancellationToken cancellationToken = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(duration);
        var latencies = new List<double>[workers];
        var items = new long[workers];
        var failures = 0;
        Exception? lastError = null;
        var started = Stopwatch.GetTimestamp();
        var tasks = Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var own = latencies[worker] = new List<double>(4_096);
            var next = Stopwatch.GetTimestamp();
            while (!stop.IsCancellationRequested)
            {
                if (pace is { } interval)
                {
                    // Open loop at a fixed rate: wait for the slot, and measure from the slot, not from when it ran.
                    next += (long)(interval.TotalSeconds * Stopwatch.Frequency);
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                    if (wait > TimeSpan.Zero)
                    {
                        try
                        {
                            await Task.Delay(wait, stop.Token);
                        }
                        catch (OperationCanceledException)
                        {
                            break;
                        }
                    }
                }

                var before = Stopwatch.GetTimestamp();
                try
                {
                    items[worker] += await step(worker, CancellationToken.None);
                    own.Add(Stopwatch.GetElapsedTime(before).TotalMilliseconds);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or IOException)
                {
                    lastError = e;
                    if (Interlocked.Increment(ref failures) > MaxFailures)
                    {
                        await stop.CancelAsync();
                    }
                }
            }
        })).ToList();
        await Task.WhenAll(tasks);
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (failures > MaxFailures)
        {
            throw new InvalidOperationException($"More than {MaxFailures} requests failed; the last error: {lastError?.Message}", lastError);
        }

        return new LoadResult(items.Sum(), latencies.Sum(l => l.Count), elapsed, latencies.SelectMany(l => l).ToList(), failures, lastError?.Message);
    }
}

/// <summary>What a load run did: items carried, requests completed, their latencies in milliseconds, failures.</summary>
internal sealed record LoadResult(long Items, long Requests, TimeSpan Elapsed, IReadOnlyList<double> LatenciesMs, int Failures, string? LastError)
{
    public double ItemsPerSecond => Items / Elapsed.TotalSeconds;
}

internal static class Stats
{
    /// <summary>Nearest-rank percentile; NaN when there are no samples.</summary>
    public static double Percentile(IEnumerable<double> samples, double percentile)
    {
        var sorted = samples.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static double Median(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
