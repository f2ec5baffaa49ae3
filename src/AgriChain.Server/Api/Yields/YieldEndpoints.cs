using System.Security.Claims;
using AgriChain.Contracts.Greenhouses;
using AgriChain.Contracts.MasterData;
using AgriChain.Contracts.Yields;
using AgriChain.Domain.Access;
using AgriChain.Domain.Common;
using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.MasterData;
using AgriChain.Domain.Traceability;
using AgriChain.Server.Api.Greenhouses;
using AgriChain.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgriChain.Server.Api.Yields;

public sealed record GreenhouseHarvestRequest(string? Id, string? At, decimal? QuantityKg, string? Grade, string? BatchId);

public sealed record FarmHarvestRequest(string? Id, string? At, string? Product, decimal? Quantity, string? Unit, string? Grade,
    string? BatchId, string? Plot);

public sealed record HarvestResponse(string Id, DateTimeOffset At, string Product, decimal Quantity, string Unit, string Grade,
    string BatchId, int Season, string? GreenhouseId, string FarmId, string? Plot);

public sealed record ForecastModelResponse(string Model, DateTimeOffset BloomAt, int DaysBloomToHarvest, double Gdh30Days,
    double ReferenceGdh30Days, double ShiftDays, double MeasuredHours);

public sealed record QuantityModelResponse(decimal TargetKg, double ColdDegreeHours, double Loss);

public sealed record GreenhouseYieldResponse(int Season, decimal HarvestedKg, decimal AreaMu, decimal KgPerMu, decimal TargetKgPerMu,
    decimal? ForecastKg, DateTimeOffset? ExpectedHarvestFrom, DateTimeOffset? ExpectedHarvestTo, ColdExposureResponse ColdExposure,
    double? ChillHours, QuantityModelResponse? QuantityModel, ForecastModelResponse? HarvestWindowModel)
{
    public static GreenhouseYieldResponse From(GreenhouseYield y) => new(y.Season, y.HarvestedKg, y.AreaMu, y.KgPerMu,
        y.TargetKgPerMu, y.Quantity?.ForecastKg, y.Window?.From, y.Window?.To, ColdExposureResponse.From(y.ColdExposure), y.ChillHours,
        y.Quantity is { } q ? new QuantityModelResponse(q.TargetKg, Math.Round(q.ColdDegreeHours, 3), Math.Round(q.Loss, 4)) : null,
        y.Window is { } w ? new ForecastModelResponse(w.Model, w.BloomAt, w.DaysBloomToHarvest, w.Gdh30Days, w.ReferenceGdh30Days, w.ShiftDays, w.CoveredHours) : null);
}

public sealed record YieldTotalsResponse(int Season, decimal HarvestedKg, decimal AreaMu, decimal KgPerMu, decimal ForecastKg, int Greenhouses)
{
    public static YieldTotalsResponse From(YieldTotals t) => new(t.Season, t.HarvestedKg, t.AreaMu, t.KgPerMu, t.ForecastKg, t.Greenhouses);
}

public static class YieldEndpoints
{
    public static RouteGroupBuilder MapYieldEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1").WithTags("Harvests and yields");
        group.MapPost("/greenhouses/{id}/harvests", HarvestGreenhouse).WithName("HarvestGreenhouse")
            .WithSummary("Record a greenhouse harvest and create its batch, both or neither (technicians of the farm, its cooperative, admin).");
        group.MapGet("/greenhouses/{id}/yield", GreenhouseYield).WithName("GetGreenhouseYield")
            .WithSummary("A greenhouse's season yield with its quantity forecast and harvest window.");
        group.MapPost("/farms/{id}/harvests", HarvestFarm).WithName("HarvestFarm")
            .WithSummary("Record an orchard or forest-plot harvest and create its batch, both or neither.");
        group.MapGet("/farms/{id}/yield", FarmYield).WithName("GetFarmYield")
            .WithSummary("A farm's season yield summed over its greenhouses.");
        group.MapGet("/yields", RegionYield).WithName("GetYields")
            .WithSummary("Season yields by village, township or county, from the rollups (admin, cooperatives, buyers).");
        return group;
    }

    private static async Task<Results<Created<HarvestResponse>, Ok<HarvestResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> HarvestGreenhouse(
        string id, GreenhouseHarvestRequest request, IGrainFactory grains, ClaimsPrincipal user, TimeProvider time)
    {
        var errors = new FieldErrors();
        var harvestId = errors.RequireId("id", request.Id);
        var at = HarvestTime(errors, request.At, time);
        var kg = errors.RequirePositive("quantityKg", request.QuantityKg, 1_000_000m);
        var grade = RequireGrade(errors, request.Grade);
        var batchId = errors.RequireId("batchId", request.BatchId);
        if (!errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        var greenhouse = ResourceId.IsValid(id) ? await grains.GetGrain<IGreenhouseGrain>(id).GetAsync() : null;
        if (greenhouse is null)
        {
            return ApiResults.NotFound("greenhouse", id);
        }

        if (!user.ToCaller().CanWorkOn(new FarmRef(greenhouse.Profile.FarmId, greenhouse.CooperativeId)))
        {
            return TypedResults.Forbid();
        }

        var harvest = new GreenhouseHarvest(harvestId, at!.Value.ToUniversalTime(), kg, grade, batchId);
        var result = await grains.GetGrain<IGreenhouseGrain>(id).RecordHarvestAsync(harvest, user.Actor());
        var response = new HarvestResponse(harvestId, harvest.At, greenhouse.Profile.Crop, kg, "kg", grade, batchId, result.Season,
            id, greenhouse.Profile.FarmId, null);
        return Answer(result, response, $"/api/v1/batches/{batchId}", "greenhouse", id);
    }

    private static async Task<Results<Created<HarvestResponse>, Ok<HarvestResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> HarvestFarm(
        string id, FarmHarvestRequest request, IGrainFactory grains, ClaimsPrincipal user, TimeProvider time)
    {
        var errors = new FieldErrors();
        var harvestId = errors.RequireId("id", request.Id);
        var at = HarvestTime(errors, request.At, time);
        var product = errors.RequireId("product", request.Product);
        var quantity = errors.RequirePositive("quantity", request.Quantity, 1_000_000_000m);
        var unit = request.Unit ?? string.Empty;
        if (!BatchUnits.All.Contains(unit))
        {
            errors.Add("unit", $"must be one of {string.Join(", ", BatchUnits.All.Order(StringComparer.Ordinal))}");
        }

        var grade = RequireGrade(errors, request.Grade);
        var batchId = errors.RequireId("batchId", request.BatchId);
        var plot = errors.OptionalText("plot", request.Plot, 100);
        if (!errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        var farm = ResourceId.IsValid(id) ? await grains.GetGrain<IFarmGrain>(id).GetAsync() : null;
        if (farm is null)
        {
            return ApiResults.NotFound("farm", id);
        }

        if (!user.ToCaller().CanWorkOn(new FarmRef(id, farm.Profile.CooperativeId)))
        {
            return TypedResults.Forbid();
        }

        var harvest = new FarmHarvest(harvestId, at!.Value.ToUniversalTime(), product, quantity, unit, grade, batchId, plot);
        var result = await grains.GetGrain<IFarmGrain>(id).RecordHarvestAsync(harvest, user.Actor());
        var response = new HarvestResponse(harvestId, harvest.At, product, quantity, unit, grade, batchId, result.Season, null, id, plot);
        return Answer(result, response, $"/api/v1/batches/{batchId}", "farm", id);
    }

    private static async Task<Results<Ok<GreenhouseYieldResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> GreenhouseYield(
        string id, int? season, IGrainFactory grains, ClaimsPrincipal user)
    {
        if (season is < 2000 or > 2200)
        {
            return ApiResults.Invalid("season", "must be a year such as 2026");
        }

        var grain = grains.GetGrain<IGreenhouseGrain>(id);
        var greenhouse = ResourceId.IsValid(id) ? await grain.GetAsync() : null;
        if (greenhouse is null)
        {
            return ApiResults.NotFound("greenhouse", id);
        }

        if (!user.ToCaller().CanRead(new FarmRef(greenhouse.Profile.FarmId, greenhouse.CooperativeId)))
        {
            return TypedResults.Forbid();
        }

        return TypedResults.Ok(GreenhouseYieldResponse.From((await grain.GetYieldAsync(season))!));
    }

    private static async Task<Results<Ok<YieldTotalsResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> FarmYield(
        string id, int? season, IGrainFactory grains, ClaimsPrincipal user, TimeProvider time)
    {
        if (season is < 2000 or > 2200)
        {
            return ApiResults.Invalid("season", "must be a year such as 2026");
        }

        var farm = ResourceId.IsValid(id) ? await grains.GetGrain<IFarmGrain>(id).GetAsync() : null;
        if (farm is null)
        {
            return ApiResults.NotFound("farm", id);
        }

        if (!user.ToCaller().CanRead(new FarmRef(id, farm.Profile.CooperativeId)))
        {
            return TypedResults.Forbid();
        }

        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(farm.Profile.TimeZone, out var z) ? z : TimeZoneInfo.Utc;
        var chosen = season ?? YieldForecasts.Season(time.GetUtcNow(), zone);
        var totals = await grains.GetGrain<IYieldRollupGrain>(YieldRollupKeys.Farm(chosen, id)).GetTotalsAsync(null, null, null);
        return TypedResults.Ok(YieldTotalsResponse.From(totals));
    }

    private static async Task<Results<Ok<YieldTotalsResponse>, ValidationProblem, ForbidHttpResult>> RegionYield(
        int? season, string? village, string? township, string? county, IGrainFactory grains, ClaimsPrincipal user, TimeProvider time)
    {
        if (season is < 2000 or > 2200)
        {
            return ApiResults.Invalid("season", "must be a year such as 2026");
        }

        if (user.ToCaller().Role == Role.Technician)
        {
            return TypedResults.Forbid();
        }

        var chosen = season ?? YieldForecasts.Season(time.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById(FarmProfile.DefaultTimeZone));
        var key = village is not null ? YieldRollupKeys.Village(chosen, village)
            : township is not null ? YieldRollupKeys.Township(chosen, township)
            : county is not null ? YieldRollupKeys.County(chosen, county)
            : YieldRollupKeys.All(chosen);
        var totals = await grains.GetGrain<IYieldRollupGrain>(key).GetTotalsAsync(village, township, county);
        return TypedResults.Ok(YieldTotalsResponse.From(totals));
    }

    private static Results<Created<HarvestResponse>, Ok<HarvestResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult> Answer(
        HarvestResult result, HarvestResponse response, string location, string kind, string id) => result.Outcome switch
        {
            HarvestOutcome.Created => TypedResults.Created(location, response),
            HarvestOutcome.Unchanged => TypedResults.Ok(response),
            HarvestOutcome.Invalid => ApiResults.Invalid(result.Field!, result.Detail!),
            HarvestOutcome.NotFound => ApiResults.NotFound(kind, id),
            _ => ApiResults.Conflict(result.Detail!, result.Field),
        };

    private static DateTimeOffset? HarvestTime(FieldErrors errors, string? at, TimeProvider time)
    {
        var parsed = ReadingRules.ParseTime("at", at, errors);
        if (parsed > time.GetUtcNow() + ReadingRules.FutureTolerance)
        {
            errors.Add("at", "a harvest cannot be in the future");
        }

        return parsed;
    }

    private static string RequireGrade(FieldErrors errors, string? grade)
    {
        if (grade is null || !BatchUnits.Grades.Contains(grade))
        {
            errors.Add("grade", $"must be one of {string.Join(", ", BatchUnits.Grades)}");
        }

        return grade ?? string.Empty;
    }
}
