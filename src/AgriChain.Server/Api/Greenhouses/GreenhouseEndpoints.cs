using System.Security.Claims;
using AgriChain.Contracts.Greenhouses;
using AgriChain.Contracts.MasterData;
using AgriChain.Domain.Access;
using AgriChain.Domain.Common;
using AgriChain.Domain.Greenhouses;
using AgriChain.Server.Api.MasterData;
using AgriChain.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgriChain.Server.Api.Greenhouses;

public static class GreenhouseEndpoints
{
    private const int MaxRawPoints = 10_000;
    private static readonly TimeSpan DefaultHistory = TimeSpan.FromHours(48);

    public static RouteGroupBuilder MapGreenhouseEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/greenhouses").WithTags("Greenhouses");
        group.MapPut("/{id}", PutGreenhouse).WithName("PutGreenhouse")
            .WithSummary("Create or update a greenhouse (admin, the farm's cooperative).")
            .RequireAuthorization(Policies.AdminOrCooperative);
        group.MapGet("/{id}", GetGreenhouse).WithName("GetGreenhouse")
            .WithSummary("A greenhouse with its stage and conditions (admin, the farm's cooperative and technicians).");
        group.MapPut("/{id}/stage", PutStage).WithName("PutGreenhouseStage")
            .WithSummary("Set the growth stage from a time (technicians of the farm, its cooperative, admin).");
        group.MapPost("/{id}/readings", PostReadings).WithName("PostReadings")
            .WithSummary("Log readings as JSON or text/csv; the batch is stored whole or not at all (technicians, cooperative, admin).")
            .Accepts<ReadingsRequest>("application/json", "text/csv");
        group.MapGet("/{id}/readings", GetReadings).WithName("GetReadings")
            .WithSummary("Readings between from and to, raw or per 1m, 1h or 1d bucket.");
        group.MapGet("/{id}/alerts", GetGreenhouseAlerts).WithName("GetGreenhouseAlerts")
            .WithSummary("A greenhouse's alerts, open, closed or all.");
        return group;
    }

    private static async Task<Results<Created<GreenhouseResponse>, Ok<GreenhouseResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> PutGreenhouse(
        string id, GreenhouseRequest request, IGrainFactory grains, ClaimsPrincipal user)
    {
        var errors = new FieldErrors();
        errors.RequireId("id", id);
        var profile = request.Validate(errors);
        if (profile is null)
        {
            return ApiResults.Invalid(errors);
        }

        var caller = user.ToCaller();
        var greenhouse = grains.GetGrain<IGreenhouseGrain>(id);
        if (!caller.IsAdmin)
        {
            // A cooperative manages greenhouses on its own farms only, and never takes over another's greenhouse.
            var current = await greenhouse.GetAsync();
            if (current is not null && !caller.CanManage(new FarmRef(current.Profile.FarmId, current.CooperativeId)))
            {
                return TypedResults.Forbid();
            }

            var farm = await grains.GetGrain<IFarmGrain>(profile.FarmId).GetAsync();
            if (farm is not null && !caller.CanManage(new FarmRef(farm.Id, farm.Profile.CooperativeId)))
            {
                return TypedResults.Forbid();
            }
        }

        var result = await greenhouse.PutAsync(profile);
        return ApiResults.Upsert(result, GreenhouseResponse.From, $"/api/v1/greenhouses/{id}");
    }

    private static async Task<Results<Ok<GreenhouseResponse>, ProblemHttpResult, ForbidHttpResult>> GetGreenhouse(
        string id, IGrainFactory grains, ClaimsPrincipal user)
    {
        var access = await FindAsync(id, grains, user);
        if (access.NotFound is { } notFound)
        {
            return notFound;
        }

        return access.Forbidden ? TypedResults.Forbid() : TypedResults.Ok(GreenhouseResponse.From(access.View!));
    }

    private static async Task<Results<Ok<GreenhouseResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> PutStage(
        string id, StageRequest request, IGrainFactory grains, ClaimsPrincipal user, TimeProvider time)
    {
        var errors = new FieldErrors();
        var stage = GrowthStage.Dormant;
        if (request.Stage is null)
        {
            errors.Add("stage", "is required");
        }
        else if (!WireNames.TryParse(request.Stage, out stage))
        {
            errors.Add("stage", $"must be one of {string.Join(", ", WireNames.All<GrowthStage>())}");
        }

        var now = time.GetUtcNow();
        var since = request.Since is null ? now : ReadingRules.ParseTime("since", request.Since, errors);
        if (since > now + ReadingRules.FutureTolerance)
        {
            errors.Add("since", "must not be in the future");
        }

        if (!errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        var access = await FindAsync(id, grains, user, write: true);
        if (access.NotFound is { } notFound)
        {
            return notFound;
        }

        if (access.Forbidden)
        {
            return TypedResults.Forbid();
        }

        var result = await grains.GetGrain<IGreenhouseGrain>(id).SetStageAsync(stage, since!.Value.ToUniversalTime());
        return result.Outcome switch
        {
            UpsertOutcome.Conflict => ApiResults.Conflict(result.Detail!, result.Field),
            UpsertOutcome.MissingReference => ApiResults.NotFound("greenhouse", id),
            _ => TypedResults.Ok(GreenhouseResponse.From(result.Value!)),
        };
    }

    private static async Task<Results<Ok<IngestResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> PostReadings(
        string id, HttpRequest http, GreenhouseOwners owners, ClaimsPrincipal user, TimeProvider time)
    {
        var owner = ResourceId.IsValid(id) ? await owners.FindAsync(id) : null;
        if (owner is null)
        {
            return ApiResults.NotFound("greenhouse", id);
        }

        if (!user.ToCaller().CanWorkOn(owner.Farm))
        {
            return TypedResults.Forbid();
        }

        var errors = new FieldErrors();
        IReadOnlyList<RawReading?>? raw;
        if (http.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true)
        {
            using var reader = new StreamReader(http.Body);
            raw = ReadingCsv.Parse(await reader.ReadToEndAsync(http.HttpContext.RequestAborted), errors);
        }
        else if (http.HasJsonContentType())
        {
            raw = (await http.ReadFromJsonAsync<ReadingsRequest>(http.HttpContext.RequestAborted))?.Readings;
        }
        else
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send readings as application/json or text/csv.");
        }

        var readings = ReadingRules.Validate(raw, time.GetUtcNow(), errors);
        if (readings is null || !errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        var result = await owner.Grain.RecordReadingsAsync(readings);
        return result is null
            ? ApiResults.NotFound("greenhouse", id)
            : TypedResults.Ok(new IngestResponse(result.Accepted, result.Duplicates, result.OpenedAlerts.Count, result.ClosedAlerts.Count));
    }

    private static async Task<Results<Ok<HistoryResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> GetReadings(
        string id, string? from, string? to, string? bucket, IGrainFactory grains, IReadingStore store,
        ClaimsPrincipal user, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var end = to is null ? time.GetUtcNow() : ReadingRules.ParseTime("to", to, errors);
        var start = from is null ? end - DefaultHistory : ReadingRules.ParseTime("from", from, errors);
        if (start >= end)
        {
            errors.Add("from", "must be before to");
        }

        var width = bucket switch
        {
            null or "raw" => BucketWidth.Raw,
            "1m" => BucketWidth.Minute,
            "1h" => BucketWidth.Hour,
            "1d" => BucketWidth.Day,
            _ => (BucketWidth?)null,
        };
        if (width is null)
        {
            errors.Add("bucket", "must be raw, 1m, 1h or 1d");
        }

        if (!errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        var access = await FindAsync(id, grains, user);
        if (access.NotFound is { } notFound)
        {
            return notFound;
        }

        if (access.Forbidden)
        {
            return TypedResults.Forbid();
        }

        if (width == BucketWidth.Raw)
        {
            var raw = await store.ReadAsync(id, start!.Value, end!.Value, MaxRawPoints + 1, cancellationToken);
            var points = raw.Take(MaxRawPoints).Select(r => (object)new RawPoint(r.At, r.TemperatureC, r.HumidityPct, r.SensorId)).ToList();
            return TypedResults.Ok(new HistoryResponse("raw", points, raw.Count > MaxRawPoints));
        }

        var buckets = await store.ReadBucketsAsync(id, start!.Value, end!.Value, width!.Value, cancellationToken);
        return TypedResults.Ok(new HistoryResponse(bucket!,
            buckets.Select(b => (object)new BucketPoint(b.Start, b.Count, b.TemperatureC, b.HumidityPct)).ToList(), false));
    }

    private static async Task<Results<Ok<Page<AlertResponse>>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> GetGreenhouseAlerts(
        string id, string? state, int? limit, string? pageToken, IGrainFactory grains, IAlertJournal journal,
        ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var filter = AlertQueries.ParseState(state, errors);
        var size = AlertQueries.ParseLimit(limit, errors);
        if (!errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        var access = await FindAsync(id, grains, user);
        if (access.NotFound is { } notFound)
        {
            return notFound;
        }

        if (access.Forbidden)
        {
            return TypedResults.Forbid();
        }

        return await AlertQueries.QueryJournalAsync(journal,
            new AlertQuery(filter, GreenhouseId: id, Limit: size, PageToken: pageToken), cancellationToken);
    }

    /// <summary>The greenhouse if the caller may see it (or, with <paramref name="write"/>, work on it).</summary>
    private static async Task<GreenhouseAccess> FindAsync(string id, IGrainFactory grains, ClaimsPrincipal user, bool write = false)
    {
        var view = ResourceId.IsValid(id) ? await grains.GetGrain<IGreenhouseGrain>(id).GetAsync() : null;
        if (view is null)
        {
            return new(null, ApiResults.NotFound("greenhouse", id), false);
        }

        var farm = new FarmRef(view.Profile.FarmId, view.CooperativeId);
        var caller = user.ToCaller();
        return new(view, null, !(write ? caller.CanWorkOn(farm) : caller.CanRead(farm)));
    }

    private sealed record GreenhouseAccess(GreenhouseView? View, ProblemHttpResult? NotFound, bool Forbidden);
}
