using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace AgriChain.Cluster.Tests.Infrastructure;

/// <summary>
/// Steady writes through the HTTP API of the silos in <see cref="Targets"/>, as a load balancer would spread them:
/// reading workers post ten readings at a time (each worker its own sensor, each greenhouse its own minutes, so
/// every reading is unique), split workers split two parts off a root batch. Every answer is recorded: 200s as
/// acknowledged writes to check afterwards, anything else as a failure. Bounded in count and time; stops by itself.
/// There should be at least as many greenhouses as reading workers.
/// </summary>
public sealed class LoadGenerator
{
    private const int ReadingsPerRequest = 10;
    private const int MaxRequestsPerWorker = 2_000;
    private static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(2);

    private readonly IReadOnlyList<string> _greenhouses;
    private readonly IReadOnlyList<string> _roots;
    private readonly DateTimeOffset _firstMinute;
    private readonly ConcurrentDictionary<string, ConcurrentBag<(DateTimeOffset At, string SensorId)>> _readings = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<(string Root, string Part, decimal Quantity)> _parts = [];
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly ConcurrentDictionary<SiloProcess, int> _successesBySilo = new();
    private int _readingRequests;
    private int _splitRequests;

    public LoadGenerator(IReadOnlyList<string> greenhouses, IReadOnlyList<string> roots, DateTimeOffset firstMinute)
    {
        _greenhouses = greenhouses;
        _roots = roots;
        _firstMinute = firstMinute;
    }

    /// <summary>The silos requests go to, in turn; replace it to take a silo out or add one.</summary>
    public IReadOnlyList<(SiloProcess Silo, HttpClient Http)> Targets { get; set; } = [];

    public decimal PartQuantity { get; init; } = 5m;

    public int AcknowledgedReadingRequests => Volatile.Read(ref _readingRequests);

    public int AcknowledgedSplits => Volatile.Read(ref _splitRequests);

    public IReadOnlyCollection<string> Failures => _failures;

    /// <summary>Acknowledged readings of one greenhouse.</summary>
    public IReadOnlySet<(DateTimeOffset At, string SensorId)> ReadingsOf(string greenhouse) =>
        _readings.TryGetValue(greenhouse, out var bag) ? bag.ToHashSet() : [];

    public int AcknowledgedReadings => _readings.Values.Sum(bag => bag.Count);

    /// <summary>Acknowledged split parts (root, part id, quantity).</summary>
    public IReadOnlyList<(string Root, string Part, decimal Quantity)> Parts => [.. _parts];

    public int SuccessesThrough(SiloProcess silo) => _successesBySilo.GetValueOrDefault(silo);

    /// <summary>Runs <paramref name="readingWorkers"/> and <paramref name="splitWorkers"/> until <paramref name="stop"/>.</summary>
    public Task RunAsync(int readingWorkers, int splitWorkers, CancellationToken stop)
    {
        var workers = Enumerable.Range(0, readingWorkers).Select(w => ReadingWorkerAsync(w, readingWorkers, stop))
            .Concat(Enumerable.Range(0, splitWorkers).Select(w => SplitWorkerAsync(w, splitWorkers, stop)));
        return Task.WhenAll(workers);
    }

    /// <summary>Records readings acknowledged outside the workers (so that they are checked too).</summary>
    public void RecordReadings(string greenhouse, IEnumerable<(DateTimeOffset At, string SensorId)> readings)
    {
        var bag = _readings.GetOrAdd(greenhouse, _ => []);
        foreach (var reading in readings)
        {
            bag.Add(reading);
        }
    }

    private async Task ReadingWorkerAsync(int worker, int workers, CancellationToken stop)
    {
        await Task.Yield();
        var sensor = $"load-{worker.ToString(CultureInfo.InvariantCulture)}";
        var nextMinute = new Dictionary<string, int>(StringComparer.Ordinal);
        var until = DateTime.UtcNow + MaxDuration;
        for (var i = 0; i < MaxRequestsPerWorker && !stop.IsCancellationRequested && DateTime.UtcNow < until; i++)
        {
            // Each greenhouse belongs to one worker, so its readings arrive in time order (a late reading would
            // make the greenhouse judge its whole stage again, which is correct but not what this load measures).
            var mine = (_greenhouses.Count - worker + workers - 1) / workers;
            var greenhouse = _greenhouses[worker + (i % mine * workers)];
            var minute = nextMinute.GetValueOrDefault(greenhouse);
            nextMinute[greenhouse] = minute + ReadingsPerRequest;
            var first = _firstMinute.AddMinutes(minute);
            var batch = Enumerable.Range(0, ReadingsPerRequest).Select(m => (first.AddMinutes(m), sensor)).ToList();
            var (silo, http) = Pick(i + worker);
            var outcome = await SendAsync(() => Api.PostReadingsAsync(http, greenhouse, Api.Readings(first, ReadingsPerRequest, sensor)), $"readings {greenhouse} via {silo.Name}");
            if (outcome is not null)
            {
                RecordReadings(greenhouse, batch);
                Interlocked.Increment(ref _readingRequests);
                _successesBySilo.AddOrUpdate(silo, 1, (_, n) => n + 1);
            }
        }
    }

    private async Task SplitWorkerAsync(int worker, int workers, CancellationToken stop)
    {
        await Task.Yield();
        var until = DateTime.UtcNow + MaxDuration;
        for (var i = 0; i < MaxRequestsPerWorker && !stop.IsCancellationRequested && DateTime.UtcNow < until; i++)
        {
            var root = _roots[(worker + (i * workers)) % _roots.Count];
            var parts = new[] { (Api.NewId("part"), PartQuantity), (Api.NewId("part"), PartQuantity) };
            var (silo, http) = Pick(i + worker);
            var outcome = await SendAsync(() => Api.SplitAsync(http, root, parts), $"split {root} via {silo.Name}");
            if (outcome is { } body)
            {
                var returned = body.GetProperty("parts").EnumerateArray().Select(p => p.GetProperty("id").GetString()).ToHashSet();
                if (!parts.All(p => returned.Contains(p.Item1)))
                {
                    _failures.Enqueue($"split {root} via {silo.Name} answered parts {string.Join(",", returned)}");
                    continue;
                }

                foreach (var (id, quantity) in parts)
                {
                    _parts.Add((root, id, quantity));
                }

                Interlocked.Increment(ref _splitRequests);
                _successesBySilo.AddOrUpdate(silo, 1, (_, n) => n + 1);
            }
        }
    }

    private (SiloProcess Silo, HttpClient Http) Pick(int turn)
    {
        var targets = Targets;
        return targets[turn % targets.Count];
    }

    /// <summary>Sends once (no client-side retry: the server must ride out the failure); the body on 200, else null.</summary>
    private async Task<JsonElement?> SendAsync(Func<Task<HttpResponseMessage>> send, string what)
    {
        try
        {
            using var response = await send();
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return JsonDocument.Parse(text).RootElement.Clone();
            }

            _failures.Enqueue($"{what}: {(int)response.StatusCode} {response.Headers.RetryAfter} {text[..Math.Min(400, text.Length)]}");
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            _failures.Enqueue($"{what}: {exception.GetType().Name} {exception.Message}");
        }

        return null;
    }
}
