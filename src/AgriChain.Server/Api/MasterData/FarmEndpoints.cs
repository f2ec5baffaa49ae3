using System.Security.Claims;
using AgriChain.Contracts.MasterData;
using AgriChain.Domain.Access;
using AgriChain.Domain.Common;
using AgriChain.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgriChain.Server.Api.MasterData;

public static class FarmEndpoints
{
    public static RouteGroupBuilder MapFarmEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/farms").WithTags("Farms");
        group.MapPut("/{id}", PutFarm).WithName("PutFarm")
            .WithSummary("Create or update a farm (admin, the farm's cooperative).")
            .RequireAuthorization(Policies.AdminOrCooperative);
        group.MapGet("/{id}", GetFarm).WithName("GetFarm")
            .WithSummary("A farm with its greenhouse ids (admin, its cooperative, its technicians).");
        return group;
    }

    private static async Task<Results<Created<FarmResponse>, Ok<FarmResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> PutFarm(
        string id, FarmRequest request, IGrainFactory grains, ClaimsPrincipal user)
    {
        var errors = new FieldErrors();
        errors.RequireId("id", id);
        var profile = request.Validate(errors);
        if (profile is null)
        {
            return ApiResults.Invalid(errors);
        }

        var caller = user.ToCaller();
        var farm = grains.GetGrain<IFarmGrain>(id);
        var current = await farm.GetAsync();
        var owner = current?.Profile.CooperativeId ?? profile.CooperativeId;
        if (!caller.CanManage(new FarmRef(id, owner)) || !caller.CanManage(new FarmRef(id, profile.CooperativeId)))
        {
            return TypedResults.Forbid();
        }

        var result = await farm.PutAsync(profile);
        return ApiResults.Upsert(result, FarmResponse.From, $"/api/v1/farms/{id}");
    }

    private static async Task<Results<Ok<FarmResponse>, ProblemHttpResult, ForbidHttpResult>> GetFarm(
        string id, IGrainFactory grains, ClaimsPrincipal user)
    {
        var view = ResourceId.IsValid(id) ? await grains.GetGrain<IFarmGrain>(id).GetAsync() : null;
        if (view is null)
        {
            return ApiResults.NotFound("farm", id);
        }

        return user.ToCaller().CanRead(new FarmRef(id, view.Profile.CooperativeId))
            ? TypedResults.Ok(FarmResponse.From(view))
            : TypedResults.Forbid();
    }
}
