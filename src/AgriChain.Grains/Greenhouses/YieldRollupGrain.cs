using AgriChain.Contracts.Yields;
using AgriChain.Domain.Greenhouses;

namespace AgriChain.Grains.Greenhouses;

/// <summary>Season yields of one scope: one line per greenhouse, summed on request.</summary>
[GrainType("yield-rollup")]
public sealed class YieldRollupGrain(
    [PersistentState("yield-rollup")] IPersistentState<YieldRollupState> state) : Grain, IYieldRollupGrain
{
    /// <summary>Greenhouses in one scope: a county has a few thousand.</summary>
    public const int MaxEntries = 50_000;

    public async Task ApplyAsync(YieldEntry entry)
    {
        if (state.State.Entries.TryGetValue(entry.GreenhouseId, out var current) && current == entry)
        {
            return;
        }

        if (current is null && state.State.Entries.Count >= MaxEntries)
        {
            throw new InvalidOperationException($"Yield rollup '{this.GetPrimaryKeyString()}' is full.");
        }

        state.State.Entries[entry.GreenhouseId] = entry;
        await state.WriteStateAsync();
    }

    public Task<YieldTotals> GetTotalsAsync(string? village, string? township, string? county)
    {
        var entries = state.State.Entries.Values
            .Where(e => village is null || e.Region.Village == village)
            .Where(e => township is null || e.Region.Township == township)
            .Where(e => county is null || e.Region.County == county)
            .ToList();
        var harvested = entries.Sum(e => e.HarvestedKg);
        var area = entries.Sum(e => e.AreaMu);
        var season = int.Parse(this.GetPrimaryKeyString().Split('/')[0], System.Globalization.CultureInfo.InvariantCulture);
        return Task.FromResult(new YieldTotals(season, harvested, area, YieldForecasts.KgPerMu(harvested, area),
            entries.Sum(e => e.ForecastKg), entries.Count));
    }
}

[GenerateSerializer, Alias("agrichain.yield-rollup-state")]
public sealed class YieldRollupState
{
    [Id(0)] public Dictionary<string, YieldEntry> Entries { get; set; } = new(StringComparer.Ordinal);
}
