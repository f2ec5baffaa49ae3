using AgriChain.Contracts.Greenhouses;
using AgriChain.Domain.Common;
using AgriChain.Domain.Greenhouses;
using AgriChain.Server.Api.MasterData;
using AgriChain.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgriChain.Server.Api.Greenhouses;

public sealed record StageThresholdsDto(double? MinTemperatureC, double? MaxTemperatureC, double? MinHumidityPct, double? MaxHumidityPct);

public sealed record CropProfileRequest(IReadOnlyDictionary<string, StageThresholdsDto?>? Stages, decimal? TargetYieldKgPerMu,
    int? DaysBloomToHarvest, int? SilentAfterMinutes, YieldModel? YieldModel = null, IReadOnlyList<string>? HarvestStages = null);

public sealed record CropProfileResponse(string Crop, int Version, IReadOnlyDictionary<string, StageThresholdsDto> Stages,
    decimal TargetYieldKgPerMu, int DaysBloomToHarvest, int SilentAfterMinutes, YieldModel YieldModel, IReadOnlyList<string>? HarvestStages)
{
    public static CropProfileResponse From(CropProfile p) => new(p.Crop, p.Version,
        p.Stages.OrderBy(s => s.Key).ToDictionary(s => WireNames.Of(s.Key),
            s => new StageThresholdsDto(s.Value.MinTemperatureC, s.Value.MaxTemperatureC, s.Value.MinHumidityPct, s.Value.MaxHumidityPct)),
        p.TargetYieldKgPerMu, p.DaysBloomToHarvest, p.SilentAfterMinutes, p.YieldModel,
        p.HarvestStages?.Select(s => WireNames.Of(s)).ToList());
}

public static class CropProfileEndpoints
{
    public static RouteGroupBuilder MapCropProfileEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/crop-profiles").WithTags("Crop profiles");
        group.MapGet("/{crop}", GetProfile).WithName("GetCropProfile")
            .WithSummary("A crop's stage thresholds, target yield and timings (any key).");
        group.MapPut("/{crop}", PutProfile).WithName("PutCropProfile")
            .WithSummary("Store a new version of a crop's profile (admin).").RequireAuthorization(Policies.Admin);
        return group;
    }

    private static async Task<Results<Ok<CropProfileResponse>, ProblemHttpResult>> GetProfile(string crop, IGrainFactory grains)
    {
        var profile = ResourceId.IsValid(crop) ? await grains.GetGrain<ICropProfileGrain>(crop).GetAsync() : null;
        return profile is null ? ApiResults.NotFound("crop profile", crop) : TypedResults.Ok(CropProfileResponse.From(profile));
    }

    private static async Task<Results<Ok<CropProfileResponse>, ValidationProblem>> PutProfile(
        string crop, CropProfileRequest request, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        errors.RequireId("crop", crop);
        var stages = new Dictionary<GrowthStage, StageThresholds>();
        if (request.Stages is null || request.Stages.Count == 0)
        {
            errors.Add("stages", "must give the thresholds of at least one stage");
        }
        else
        {
            foreach (var (name, band) in request.Stages)
            {
                var field = $"stages.{name}";
                if (!WireNames.TryParse<GrowthStage>(name, out var stage))
                {
                    errors.Add(field, $"is not a stage; stages are {string.Join(", ", WireNames.All<GrowthStage>())}");
                    continue;
                }

                if (band is null)
                {
                    errors.Add(field, "is required");
                    continue;
                }

                Band(errors, field, "TemperatureC", band.MinTemperatureC, band.MaxTemperatureC, -50, 70);
                Band(errors, field, "HumidityPct", band.MinHumidityPct, band.MaxHumidityPct, 0, 100);
                stages[stage] = new StageThresholds(band.MinTemperatureC, band.MaxTemperatureC, band.MinHumidityPct, band.MaxHumidityPct);
            }
        }

        var target = errors.RequirePositive("targetYieldKgPerMu", request.TargetYieldKgPerMu, 20_000m);
        var days = Whole(errors, "daysBloomToHarvest", request.DaysBloomToHarvest, 1, 400);
        var silent = Whole(errors, "silentAfterMinutes", request.SilentAfterMinutes, 5, 1440);
        var harvestStages = new List<GrowthStage>();
        foreach (var (name, i) in (request.HarvestStages ?? []).Select((n, i) => (n, i)))
        {
            if (WireNames.TryParse<GrowthStage>(name, out var harvestStage))
            {
                harvestStages.Add(harvestStage);
            }
            else
            {
                errors.Add($"harvestStages[{i}]", "is not a stage");
            }
        }

        if (request.YieldModel is { } model && (model.ColdLossPerDegreeHour < 0 || model.MaxColdLoss is < 0 or > 1
            || model.GdhOptimumC <= model.GdhBaseC || model.ReferenceGdh30Days <= 0 || model.WindowDays is < 0 or > 60))
        {
            errors.Add("yieldModel", "needs a loss per degree-hour >= 0, a max loss in 0..1, an optimum above the base, a positive reference GDH and a window of 0..60 days");
        }
        if (!errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        var stored = await grains.GetGrain<ICropProfileGrain>(crop).PutAsync(new CropProfile(crop, stages, target, days, silent, 0,
            request.YieldModel, request.HarvestStages is null ? null : harvestStages));
        return TypedResults.Ok(CropProfileResponse.From(stored));
    }

    private static void Band(FieldErrors errors, string field, string quantity, double? min, double? max, double lowest, double highest)
    {
        foreach (var (name, value) in new[] { ($"min{quantity}", min), ($"max{quantity}", max) })
        {
            if (value is { } v && (v < lowest || v > highest))
            {
                errors.Add($"{field}.{name}", $"must be between {lowest} and {highest}");
            }
        }

        if (min > max)
        {
            errors.Add($"{field}.min{quantity}", $"must not be above max{quantity}");
        }
    }

    private static int Whole(FieldErrors errors, string field, int? value, int min, int max)
    {
        if (value is not { } v)
        {
            errors.Add(field, "is required");
            return 0;
        }

        if (v < min || v > max)
        {
            errors.Add(field, $"must be between {min} and {max}");
        }

        return v;
    }
}
