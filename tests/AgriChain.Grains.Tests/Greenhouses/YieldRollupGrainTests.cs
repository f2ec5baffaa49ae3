using AgriChain.Contracts.Yields;
using AgriChain.Domain.MasterData;
using AgriChain.Grains.Greenhouses;
using AgriChain.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Providers;
using Orleans.Storage;

namespace AgriChain.Grains.Tests.Greenhouses;

/// <summary>
/// Season rollups: greenhouses tell their farm and village rollups; a village rollup passes its sums on to the
/// township, county and all-villages rollups, which keep a line per village.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class YieldRollupGrainTests(ClusterFixture fixture)
{
    private const int Season = 2031;

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];

    private IYieldRollupGrain Rollup(string key) => fixture.Grains.GetGrain<IYieldRollupGrain>(key);

    /// <summary>The rollup's row as stored, read through the default grain storage.</summary>
    private async Task<GrainState<YieldRollupState>> StoredAsync(string key)
    {
        var storage = fixture.Services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
        var stored = new GrainState<YieldRollupState>(new YieldRollupState());
        await storage.ReadStateAsync("yield-rollup", GrainId.Create("yield-rollup", key), stored);
        return stored;
    }

    /// <summary>Tells a greenhouse's line the way a greenhouse does: to its farm's and its village's rollups.</summary>
    private Task TellAsync(YieldEntry entry) =>
        Task.WhenAll(YieldRollupKeys.For(Season, entry.FarmId, entry.Region).Select(key => Rollup(key).ApplyAsync(entry)));

    [Fact]
    public async Task CountyAndAllVillages_AddUpEveryGreenhouse_ByVillageAndTownship()
    {
        var county = NewName("county");
        var east = new Region(NewName("east"), "t1", county);
        var west = new Region(NewName("west"), "t1", county);
        var north = new Region(NewName("north"), "t2", county);
        await TellAsync(new YieldEntry("gh-e1", "farm-e", east, 2m, 1_000m, 3_000m));
        await TellAsync(new YieldEntry("gh-e2", "farm-e", east, 1m, 500m, 1_500m));
        await TellAsync(new YieldEntry("gh-w1", "farm-w", west, 1.5m, 0m, 2_250m));
        await TellAsync(new YieldEntry("gh-n1", "farm-n", north, 4m, 6_000m, 6_000m));

        var totals = await Rollup(YieldRollupKeys.County(Season, county)).GetTotalsAsync(null, null, county);
        Assert.Equal((7_500m, 8.5m, 12_750m, 4), (totals.HarvestedKg, totals.AreaMu, totals.ForecastKg, totals.Greenhouses));
        var township = await Rollup(YieldRollupKeys.County(Season, county)).GetTotalsAsync(null, "t1", county);
        Assert.Equal((1_500m, 4.5m, 3), (township.HarvestedKg, township.AreaMu, township.Greenhouses));
        var village = await Rollup(YieldRollupKeys.All(Season)).GetTotalsAsync(east.Village, null, county);
        Assert.Equal((1_500m, 3m, 4_500m, 2), (village.HarvestedKg, village.AreaMu, village.ForecastKg, village.Greenhouses));
        Assert.Equal(500m, village.KgPerMu);
        var farm = await Rollup(YieldRollupKeys.Farm(Season, "farm-e")).GetTotalsAsync(null, null, null);
        Assert.True(farm.Greenhouses >= 2);

        // A changed line replaces the old one all the way up; the same line again changes nothing.
        await TellAsync(new YieldEntry("gh-e2", "farm-e", east, 1m, 800m, 1_500m));
        await TellAsync(new YieldEntry("gh-e2", "farm-e", east, 1m, 800m, 1_500m));
        totals = await Rollup(YieldRollupKeys.County(Season, county)).GetTotalsAsync(null, null, county);
        Assert.Equal((7_800m, 4), (totals.HarvestedKg, totals.Greenhouses));
        var townshipRollup = await Rollup(YieldRollupKeys.Township(Season, "t1")).GetTotalsAsync(null, "t1", county);
        Assert.Equal((1_800m, 3), (townshipRollup.HarvestedKg, townshipRollup.Greenhouses));
    }

    [Fact]
    public async Task CountyRollup_StoresALinePerVillage_NotPerGreenhouse()
    {
        var county = NewName("county");
        var regions = new[] { new Region(NewName("v1"), "t", county), new Region(NewName("v2"), "t", county) };
        for (var i = 0; i < 200; i++)
        {
            await TellAsync(new YieldEntry($"gh-{county}-{i}", "farm", regions[i % 2], 1m, 10m, 1_500m));
        }

        var totals = await Rollup(YieldRollupKeys.County(Season, county)).GetTotalsAsync(null, null, county);
        Assert.Equal((200, 2_000m), (totals.Greenhouses, totals.HarvestedKg));

        // The county's stored row holds two village lines; a village's holds its hundred greenhouses.
        var countyBytes = await PayloadLengthAsync(YieldRollupKeys.County(Season, county));
        var villageBytes = await PayloadLengthAsync(YieldRollupKeys.Village(Season, regions[0].Village));
        Assert.True(countyBytes * 10 < villageBytes, $"county row {countyBytes} B, village row {villageBytes} B");
    }

    [Fact]
    public async Task StaleOrRepeatedVillageSums_ChangeNothing()
    {
        var county = NewName("county");
        var region = new Region(NewName("v"), "t", county);
        var rollup = Rollup(YieldRollupKeys.County(Season, county));

        await rollup.ApplyRegionAsync(new RegionYield(region, 2m, 100m, 3_000m, 2, Version: 5));
        await rollup.ApplyRegionAsync(new RegionYield(region, 1m, 50m, 1_500m, 1, Version: 3));
        await rollup.ApplyRegionAsync(new RegionYield(region, 9m, 900m, 9_000m, 9, Version: 5));

        var totals = await rollup.GetTotalsAsync(null, null, null);
        Assert.Equal((100m, 2), (totals.HarvestedKg, totals.Greenhouses));
    }

    [Fact]
    public async Task VillageSumsArrivingTogether_ShareWrites_AndAllBecomeDurable()
    {
        var county = NewName("county");
        var key = YieldRollupKeys.County(Season, county);
        const int Villages = 200;

        await Task.WhenAll(Enumerable.Range(0, Villages).Select(i =>
            Rollup(key).ApplyRegionAsync(new RegionYield(new Region($"v{i}", "t", county), 1m, 10m, 100m, 1, Version: 1))));

        var totals = await Rollup(key).GetTotalsAsync(null, null, null);
        Assert.Equal((Villages, Villages * 10m), (totals.Greenhouses, totals.HarvestedKg));

        // Every call returned after a write holding its line: all 200 are stored, in fewer writes than calls (the
        // version of the row counts its writes).
        var stored = await StoredAsync(key);
        Assert.Equal(Villages, stored.State!.Regions.Count);
        Assert.True(int.Parse(stored.ETag!, System.Globalization.CultureInfo.InvariantCulture) < Villages, $"{stored.ETag} writes");
    }

    [Fact]
    public async Task VillageSums_ArrivingWhileWritesWaitForTheDatabase_AreAllStored()
    {
        // On the real storage with its one SQLite writer kept busy, so that writes finish after the grain's turn while
        // sums keep arriving (YieldRollupWriteTests holds a write open to check that exact moment).
        var county = NewName("county");
        var key = YieldRollupKeys.County(Season, county);
        const int Villages = 3_000;
        var database = fixture.Services.GetRequiredService<AgriChainDatabase>();
        RegionYield Sum(int village, long version) => new(new Region($"v{village}", $"t{village % 7}", county), 1m, 10m * version, 100m, 1, version);
        using var stop = new CancellationTokenSource();
        var busyWriter = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await using var connection = await database.DataSource.OpenConnectionAsync();
                await Task.Yield();
            }
        });

        try
        {
            // Every village at once, then a steady stream of newer sums, so that sums keep arriving while a write of
            // thousands of lines is under way.
            await Task.WhenAll(Enumerable.Range(0, Villages).Select(i => Rollup(key).ApplyRegionAsync(Sum(i, version: 1))));
            await Parallel.ForEachAsync(Enumerable.Range(0, Villages), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
                await Rollup(key).ApplyRegionAsync(Sum(i, version: 2)));
        }
        finally
        {
            await stop.CancelAsync();
            await busyWriter;
        }

        var totals = await Rollup(key).GetTotalsAsync(null, null, null);
        Assert.Equal((Villages, Villages * 20m), (totals.Greenhouses, totals.HarvestedKg));
        var stored = await StoredAsync(key);
        Assert.Equal(Villages, stored.State!.Regions.Count);
        Assert.All(stored.State.Regions.Values, line => Assert.Equal(2, line.Version));
    }

    [Fact]
    public async Task RollupStoredWithGreenhouseLines_IsFoldedIntoVillageLines_AndKeepsItsTotals()
    {
        var county = NewName("county");
        var one = new Region(NewName("v1"), "t", county);
        var two = new Region(NewName("v2"), "t", county);
        var key = YieldRollupKeys.County(Season, county);
        var storage = fixture.Services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
        var old = new YieldRollupState();
        old.Entries["gh-1"] = new YieldEntry("gh-1", "f", one, 1m, 100m, 1_000m);
        old.Entries["gh-2"] = new YieldEntry("gh-2", "f", one, 2m, 200m, 2_000m);
        old.Entries["gh-3"] = new YieldEntry("gh-3", "f", two, 3m, 300m, 3_000m);
        await storage.WriteStateAsync("yield-rollup", GrainId.Create("yield-rollup", key), new GrainState<YieldRollupState>(old));

        var totals = await Rollup(key).GetTotalsAsync(null, null, null);
        Assert.Equal((600m, 6m, 6_000m, 3), (totals.HarvestedKg, totals.AreaMu, totals.ForecastKg, totals.Greenhouses));
        var stored = await StoredAsync(key);
        Assert.NotNull(stored.State);
        Assert.Empty(stored.State.Entries);
        Assert.Equal(2, stored.State.Regions.Count);

        // The village's own sums, once it reports them, replace the folded line.
        await TellAsync(new YieldEntry("gh-9", "f", two, 5m, 0m, 7_500m));
        totals = await Rollup(key).GetTotalsAsync(null, null, null);
        Assert.Equal((300m, 3), (totals.HarvestedKg, totals.Greenhouses));
    }

    private async Task<long> PayloadLengthAsync(string key)
    {
        var database = fixture.Services.GetRequiredService<AgriChainDatabase>();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT length(PayloadBinary) FROM OrleansStorage WHERE GrainTypeString = 'yield-rollup' AND GrainIdExtensionString = @key";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@key";
        parameter.Value = key;
        command.Parameters.Add(parameter);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
