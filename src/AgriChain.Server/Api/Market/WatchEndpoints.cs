using System.Security.Claims;
using AgriChain.Contracts.Market;
using AgriChain.Contracts.MasterData;
using AgriChain.Domain.Common;
using AgriChain.Domain.Market;
using AgriChain.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgriChain.Server.Api.Market;

/// <summary><c>/api/v1/buyers/{id}/watches</c>: standing supply queries that notify the buyer through its webhooks.</summary>
public static class WatchEndpoints
{
    public static RouteGroupBuilder MapWatchEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/buyers/{id}/watches").WithTags("Market");
        group.MapPost("/", CreateWatch).WithName("CreateWatch")
            .WithSummary("Watch for supply (the buyer, admin): when at least minQuantityKg of the product at the grade or better is free " +
                "in the region (optionally only lots without cold events), the buyer's webhooks get one supply.available per crossing.");
        group.MapGet("/{watchId}", GetWatch).WithName("GetWatch")
            .WithSummary("A watch with the supply it counts now and how often it notified (the buyer, admin).");
        group.MapDelete("/{watchId}", DeleteWatch).WithName("DeleteWatch")
            .WithSummary("Stop a watch (the buyer, admin).");
        return group;
    }

    private static async Task<Results<Created<WatchResponse>, Ok<WatchResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> CreateWatch(
        string id, WatchRequest request, IGrainFactory grains, ClaimsPrincipal user)
    {
        if (!user.ToCaller().CanReadBuyer(id))
        {
            return TypedResults.Forbid();
        }

        var errors = new FieldErrors();
        var watchId = errors.RequireId("id", request.Id);
        var spec = MarketRules.Watch(id, request.Product, request.Grade, request.MinQuantityKg, request.Village, request.Township,
            request.County, request.ExcludeColdEvents, errors);
        if (spec is null || !errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        if (!ResourceId.IsValid(id) || await grains.GetGrain<IBuyerGrain>(id).GetAsync() is null)
        {
            return ApiResults.NotFound("buyer", id);
        }

        var result = await grains.GetGrain<IWatchGrain>(MarketKeys.Watch(id, watchId)).CreateAsync(spec);
        return ApiResults.Upsert(result, WatchResponse.From, $"/api/v1/buyers/{id}/watches/{watchId}");
    }

    private static async Task<Results<Ok<WatchResponse>, ProblemHttpResult, ForbidHttpResult>> GetWatch(
        string id, string watchId, IGrainFactory grains, ClaimsPrincipal user)
    {
        if (!user.ToCaller().CanReadBuyer(id))
        {
            return TypedResults.Forbid();
        }

        var watch = ResourceId.IsValid(id) && ResourceId.IsValid(watchId)
            ? await grains.GetGrain<IWatchGrain>(MarketKeys.Watch(id, watchId)).GetAsync()
            : null;
        return watch is null ? ApiResults.NotFound("watch", watchId) : TypedResults.Ok(WatchResponse.From(watch));
    }

    private static async Task<Results<NoContent, ProblemHttpResult, ForbidHttpResult>> DeleteWatch(
        string id, string watchId, IGrainFactory grains, ClaimsPrincipal user)
    {
        if (!user.ToCaller().CanReadBuyer(id))
        {
            return TypedResults.Forbid();
        }

        var deleted = ResourceId.IsValid(id) && ResourceId.IsValid(watchId)
            && await grains.GetGrain<IWatchGrain>(MarketKeys.Watch(id, watchId)).DeleteAsync();
        return deleted ? TypedResults.NoContent() : ApiResults.NotFound("watch", watchId);
    }
}
