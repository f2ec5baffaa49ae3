using System.Globalization;
using AgriChain.Contracts.Yields;
using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.MasterData;

namespace AgriChain.Grains.Greenhouses;

/// <summary>
/// Season yields of one scope. A farm or village rollup keeps one line per greenhouse; a village rollup passes the
/// sums of its village on to the township, county and all-villages rollups, which keep one line per village. Every
/// write of a rollup is then as big as a village or a county's list of villages, not as big as all the greenhouses
/// under it (before, a stage change in a county of n greenhouses rewrote n lines, so staging them all cost n²).
/// </summary>
[GrainType("yield-rollup")]
public sealed class YieldRollupGrain(
    [PersistentState("yield-rollup")] IPersistentState<YieldRollupState> state) : Grain, IYieldRollupGrain
{
    /// <summary>Greenhouses in a farm or village rollup.</summary>
    public const int MaxEntries = 50_000;

    /// <summary>Villages in a township, county or all-villages rollup.</summary>
    public const int MaxRegions = 50_000;

    /// <summary>Changes of village lines not yet in a write, and whoever waits for them.</summary>
    private TaskCompletionSource? _pending;

    /// <summary>Whether the loop writing village lines runs.</summary>
    private bool _writing;

    /// <summary>
    /// Village lines that arrived while a write was in flight. The storage provider may serialise the state after the
    /// grain's turn has ended (once it has a connection), so the state changes only between writes; until the next
    /// write begins, these lines stand over the state's.
    /// </summary>
    private readonly Dictionary<Region, RegionYield> _arrived = [];

    private string Key => this.GetPrimaryKeyString();

    private int Season => int.Parse(Key.Split('/')[0], CultureInfo.InvariantCulture);

    /// <summary>Township, county and all-villages rollups keep a line per village.</summary>
    private bool KeepsVillages => Key.Split('/')[1] is "township" or "county" or "all";

    private bool IsVillage => Key.Split('/')[1] == "village";

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (KeepsVillages && state.State.Entries.Count > 0)
        {
            // Written before rollups kept a line per village: fold the greenhouse lines into village lines (version
            // 0, so the village rollups' next sums replace them).
            foreach (var (region, entries) in state.State.Entries.Values.GroupBy(e => e.Region).Select(g => (g.Key, g.ToList())))
            {
                state.State.Regions[region] = Sum(region, entries, version: 0);
            }

            state.State.Entries.Clear();
            await state.WriteStateAsync(cancellationToken);
        }
        else if (IsVillage && state.State.Entries.Count > 0)
        {
            // A crash between this rollup's write and its report upward left the levels above behind: report again
            // (the levels above ignore sums they already have).
            await Task.WhenAll(state.State.Entries.Values.Select(e => e.Region).Distinct().Select(ReportAsync));
        }
    }

    public async Task ApplyAsync(YieldEntry entry)
    {
        if (KeepsVillages)
        {
            // Only a greenhouse of an earlier version sends its line here, and it sends it to its village rollup too,
            // which reports the village's sums here.
            return;
        }

        if (!state.State.Entries.TryGetValue(entry.GreenhouseId, out var current) || current != entry)
        {
            if (current is null && state.State.Entries.Count >= MaxEntries)
            {
                throw new InvalidOperationException($"Yield rollup '{Key}' is full.");
            }

            state.State.Entries[entry.GreenhouseId] = entry;
            state.State.Version++;
            await state.WriteStateAsync();
        }

        // Also when nothing changed here: a greenhouse repeating its line after a failure heals the levels above.
        if (IsVillage)
        {
            await ReportAsync(entry.Region);
            if (current is not null && current.Region != entry.Region)
            {
                await ReportAsync(current.Region);
            }
        }
    }

    public Task ApplyRegionAsync(RegionYield yield)
    {
        ArgumentNullException.ThrowIfNull(yield);
        if (!KeepsVillages)
        {
            throw new InvalidOperationException($"Yield rollup '{Key}' keeps greenhouse lines, not village sums.");
        }

        var current = _arrived.TryGetValue(yield.Region, out var arrived) ? arrived : state.State.Regions.GetValueOrDefault(yield.Region);
        if (current is not null && current.Version >= yield.Version)
        {
            return Task.CompletedTask;
        }

        if (current is null && state.State.Regions.Count + _arrived.Count(a => !state.State.Regions.ContainsKey(a.Key)) >= MaxRegions)
        {
            throw new InvalidOperationException($"Yield rollup '{Key}' is full.");
        }

        if (_writing)
        {
            _arrived[yield.Region] = yield;
        }
        else
        {
            state.State.Regions[yield.Region] = yield;
        }

        return SaveRegionsAsync();
    }

    /// <summary>
    /// Makes the village lines durable, one write for every change that arrived while the previous write was in
    /// flight (<see cref="IYieldRollupGrain.ApplyRegionAsync"/> interleaves): a county's or the all-villages rollup
    /// hears from every village of its scope, and one write per change would cap how fast a county can be staged at
    /// the database's commit rate. Each caller's task completes when a write that holds its change has.
    /// </summary>
    private Task SaveRegionsAsync()
    {
        _pending ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var saved = _pending.Task;
        if (!_writing)
        {
            _writing = true;
            _ = WriteRegionsAsync();
        }

        return saved;
    }

    /// <summary>Writes until no change waits; never faults (each batch's callers get its failure).</summary>
    private async Task WriteRegionsAsync()
    {
        try
        {
            while (_pending is { } batch)
            {
                _pending = null;
                foreach (var (region, line) in _arrived)
                {
                    state.State.Regions[region] = line;
                }

                _arrived.Clear();
                try
                {
                    await state.WriteStateAsync();
                    batch.SetResult();
                }
                catch (Exception exception)
                {
                    batch.SetException(exception);
                }
            }
        }
        finally
        {
            _writing = false;
        }
    }

    public Task<YieldTotals> GetTotalsAsync(string? village, string? township, string? county)
    {
        bool Matches(Region r) =>
            (village is null || r.Village == village) && (township is null || r.Township == township) && (county is null || r.County == county);

        var lines = KeepsVillages
            ? state.State.Regions.Where(p => !_arrived.ContainsKey(p.Key)).Select(p => p.Value).Concat(_arrived.Values).Where(r => Matches(r.Region)).ToList()
            : state.State.Entries.Values.Where(e => Matches(e.Region)).GroupBy(e => e.Region).Select(g => Sum(g.Key, g, 0)).ToList();
        var harvested = lines.Sum(l => l.HarvestedKg);
        var area = lines.Sum(l => l.AreaMu);
        return Task.FromResult(new YieldTotals(Season, harvested, area, YieldForecasts.KgPerMu(harvested, area),
            lines.Sum(l => l.ForecastKg), lines.Sum(l => l.Greenhouses)));
    }

    /// <summary>Tells the levels above this village rollup its sums for <paramref name="region"/>.</summary>
    private Task ReportAsync(Region region)
    {
        var sum = Sum(region, state.State.Entries.Values.Where(e => e.Region == region), state.State.Version);
        return Task.WhenAll(YieldRollupKeys.Above(Season, region)
            .Select(key => GrainFactory.GetGrain<IYieldRollupGrain>(key).ApplyRegionAsync(sum)));
    }

    private static RegionYield Sum(Region region, IEnumerable<YieldEntry> entries, long version)
    {
        decimal area = 0, harvested = 0, forecast = 0;
        var count = 0;
        foreach (var entry in entries)
        {
            area += entry.AreaMu;
            harvested += entry.HarvestedKg;
            forecast += entry.ForecastKg;
            count++;
        }

        return new RegionYield(region, area, harvested, forecast, count, version);
    }
}

[GenerateSerializer, Alias("agrichain.yield-rollup-state")]
public sealed class YieldRollupState
{
    /// <summary>Farm and village rollups: a line per greenhouse.</summary>
    [Id(0)] public Dictionary<string, YieldEntry> Entries { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Township, county and all-villages rollups: a line per village, by its whole region.</summary>
    [Id(1)] public Dictionary<Region, RegionYield> Regions { get; set; } = [];

    /// <summary>Village rollups: grows with every change, the version of the sums reported upward.</summary>
    [Id(2)] public long Version { get; set; }
}
