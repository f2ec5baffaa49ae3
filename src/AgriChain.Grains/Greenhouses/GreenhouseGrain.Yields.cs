using AgriChain.Contracts.Traceability;
using AgriChain.Contracts.Yields;
using AgriChain.Domain.Common;
using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.Traceability;

namespace AgriChain.Grains.Greenhouses;

/// <summary>Harvests, season yields and forecasts of a greenhouse.</summary>
public sealed partial class GreenhouseGrain
{
    /// <summary>Harvest records kept for idempotency; a greenhouse harvests a few dozen times a season.</summary>
    private const int MaxHarvests = 2_000;

    public async Task<HarvestResult> RecordHarvestAsync(GreenhouseHarvest harvest, string recordedBy)
    {
        if (state.State.Profile is null)
        {
            return new HarvestResult(HarvestOutcome.NotFound, 0);
        }

        var season = YieldForecasts.Season(harvest.At, Zone());
        if (state.State.Harvests.TryGetValue(harvest.Id, out var existing))
        {
            return existing == harvest
                ? new HarvestResult(HarvestOutcome.Unchanged, season)
                : new HarvestResult(HarvestOutcome.Conflict, season, "id", $"Harvest '{harvest.Id}' was recorded with other content.");
        }

        var profile = await GetCropProfileAsync();
        if (profile is not null && !profile.CanHarvestIn(state.State.Stage))
        {
            var stages = string.Join(", ", profile.HarvestStages!.Select(s => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(s.ToString())));
            return new HarvestResult(HarvestOutcome.Invalid, season, "stage",
                $"The greenhouse is in stage '{StageName()}'; {profile.Crop} is harvested in {stages}.");
        }

        if (state.State.PendingHarvest is { } pending && pending.Id != harvest.Id)
        {
            // One harvest at a time: finish (or drop) the one a crash interrupted before taking the next.
            await CompletePendingHarvestAsync();
        }

        // Intent first, so that a crash between the batch and our record is finished on the next activation.
        state.State.PendingHarvest = harvest;
        await state.WriteStateAsync();
        return await CompletePendingHarvestAsync(recordedBy) ?? new HarvestResult(HarvestOutcome.Created, season);
    }

    public async Task<GreenhouseYield?> GetYieldAsync(int? season)
    {
        if (state.State.Profile is not { } greenhouse)
        {
            return null;
        }

        var profile = await GetCropProfileAsync();
        var window = profile is null ? null : await WindowAsync(profile);
        var cycleSeason = window is not null ? YieldForecasts.Season(window.Expected, Zone()) : YieldForecasts.Season(time.GetUtcNow(), Zone());
        var chosen = season ?? cycleSeason;
        var harvested = state.State.HarvestedKgBySeason.GetValueOrDefault(chosen);
        var exposure = BloomExposure();
        var quantity = profile is not null && chosen == cycleSeason
            ? YieldForecasts.Quantity(greenhouse.AreaMu, profile.TargetYieldKgPerMu, exposure, profile.YieldModel)
            : null;
        return new GreenhouseYield(chosen, harvested, greenhouse.AreaMu, YieldForecasts.KgPerMu(harvested, greenhouse.AreaMu),
            profile?.TargetYieldKgPerMu ?? 0, quantity, chosen == cycleSeason ? window : null, exposure, ChillHours());
    }

    /// <summary>Creates the pending harvest's batch and records the harvest; null when nothing was pending.</summary>
    private async Task<HarvestResult?> CompletePendingHarvestAsync(string recordedBy = "recovery")
    {
        if (state.State.PendingHarvest is not { } harvest)
        {
            return null;
        }

        var greenhouse = state.State.Profile!;
        var season = YieldForecasts.Season(harvest.At, Zone());
        var spec = new BatchSpec(greenhouse.Crop, harvest.QuantityKg, "kg", harvest.Grade, state.State.CooperativeId,
            new BatchOrigin(greenhouse.FarmId, Id, harvest.At));
        var created = await GrainFactory.GetGrain<IBatchGrain>(harvest.BatchId).CreateAsync(spec, recordedBy);
        state.State.PendingHarvest = null;
        if (created.Outcome == UpsertOutcome.Conflict)
        {
            await state.WriteStateAsync();
            return new HarvestResult(HarvestOutcome.Conflict, season, "batchId", $"Batch '{harvest.BatchId}' already exists with other content.");
        }

        state.State.Harvests[harvest.Id] = harvest;
        if (state.State.Harvests.Count > MaxHarvests)
        {
            state.State.Harvests.Remove(state.State.Harvests.Values.MinBy(h => h.At)!.Id);
        }

        state.State.HarvestedKgBySeason[season] = state.State.HarvestedKgBySeason.GetValueOrDefault(season) + harvest.QuantityKg;
        await state.WriteStateAsync();
        await PushYieldAsync(season);
        return new HarvestResult(HarvestOutcome.Created, season);
    }

    /// <summary>
    /// Tells the season rollups this greenhouse's harvested and forecast kilograms: the season of a harvest, and
    /// the season of the cycle in progress (by bloom + days, without the GDH shift, which needs the store).
    /// </summary>
    private async Task PushYieldAsync(int? harvestSeason = null)
    {
        var greenhouse = state.State.Profile!;
        var profile = await GetCropProfileAsync();
        var bloom = BloomAt();
        var cycleSeason = bloom is { } b && profile is not null
            ? YieldForecasts.Season(b.AddDays(profile.DaysBloomToHarvest), Zone())
            : YieldForecasts.Season(time.GetUtcNow(), Zone());
        var forecastKg = profile is null ? 0
            : YieldForecasts.Quantity(greenhouse.AreaMu, profile.TargetYieldKgPerMu, BloomExposure(), profile.YieldModel).ForecastKg;

        foreach (var season in new[] { harvestSeason, cycleSeason }.OfType<int>().Distinct())
        {
            var forecast = season == cycleSeason ? forecastKg : state.State.HarvestedKgBySeason.GetValueOrDefault(season);
            if (harvestSeason != season && state.State.PushedForecastKg.TryGetValue(season, out var pushed) && pushed == forecast)
            {
                continue;
            }

            state.State.PushedForecastKg[season] = forecast;
            var entry = new YieldEntry(Id, greenhouse.FarmId, state.State.Region ?? new Domain.MasterData.Region("", "", ""),
                greenhouse.AreaMu, state.State.HarvestedKgBySeason.GetValueOrDefault(season), forecast);
            await Task.WhenAll(YieldRollupKeys.For(season, greenhouse.FarmId, entry.Region)
                .Select(key => GrainFactory.GetGrain<IYieldRollupGrain>(key).ApplyAsync(entry)));
            if (season == cycleSeason)
            {
                // One-way: offers selling this forecast follow it without holding up the greenhouse.
                _ = GrainFactory.GetGrain<Contracts.Market.IForecastPoolGrain>(Id).ForecastChangedAsync();
            }
        }
    }

    /// <summary>The start of the most recent flowering: full bloom of the cycle in progress (or the last one).</summary>
    private DateTimeOffset? BloomAt()
    {
        if (state.State.Stage == GrowthStage.Flowering)
        {
            return state.State.StageSince;
        }

        return state.State.StageHistory.LastOrDefault(p => p.Stage == GrowthStage.Flowering)?.From;
    }

    /// <summary>Cold exposure of the flowering and fruit-set stages of the cycle in progress (since its bloom).</summary>
    private ColdExposure BloomExposure()
    {
        if (BloomAt() is not { } bloom)
        {
            return ColdExposure.None;
        }

        var periods = state.State.StageHistory.Where(p => p.From >= bloom && p.Stage is GrowthStage.Flowering or GrowthStage.FruitSet)
            .Select(p => p.ColdExposure).ToList();
        if (state.State.Stage is GrowthStage.Flowering or GrowthStage.FruitSet)
        {
            periods.Add(Conditions.StageExposure);
        }

        return periods.Aggregate(ColdExposure.None, (sum, e) => sum.Add(e.MinutesBelowFloor, e.DegreeMinutesBelowFloor));
    }

    /// <summary>Chill of the current dormancy, or of the last one once the trees woke up.</summary>
    private double? ChillHours()
    {
        if (state.State.Stage == GrowthStage.Dormant)
        {
            return Math.Round(Conditions.ChillMinutes / 60, 2);
        }

        return state.State.StageHistory.LastOrDefault(p => p.Stage == GrowthStage.Dormant) is { } dormancy
            ? Math.Round(dormancy.ChillMinutes / 60, 2)
            : null;
    }

    /// <summary>The harvest window from bloom and the warmth of the 30 days after it, from hourly means in the store.</summary>
    private async Task<HarvestWindow?> WindowAsync(CropProfile profile)
    {
        if (BloomAt() is not { } bloom)
        {
            return null;
        }

        var end = Min(bloom.AddHours(YieldForecasts.WindowHours), time.GetUtcNow());
        var hours = end > bloom ? await store.ReadBucketsAsync(Id, bloom, end, BucketWidth.Hour) : [];
        var model = profile.YieldModel;
        var gdh = YieldForecasts.GrowingDegreeHours(hours.Select(h => h.TemperatureC.Avg), model);
        return YieldForecasts.Window(bloom, profile.DaysBloomToHarvest, gdh, hours.Count, model);
    }

    private TimeZoneInfo Zone() =>
        TimeZoneInfo.TryFindSystemTimeZoneById(state.State.TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    private string StageName() => state.State.Stage is { } s
        ? System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(s.ToString())
        : "unknown";

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
