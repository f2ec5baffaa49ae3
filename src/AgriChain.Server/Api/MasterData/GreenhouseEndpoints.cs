using System.Security.Claims;
using AgriChain.Contracts.MasterData;
using AgriChain.Domain.Access;
using AgriChain.Domain.Common;
using AgriChain.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgriChain.Server.Api.MasterData;

public static class GreenhouseEndpoints
{
    public static RouteGroupBuilder MapGreenhouseEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/greenhouses").WithTags("Greenhouses");
        group.MapPut("/{id}", PutGreenhouse).WithName("PutGreenhouse")
            .WithSummary("Create or update a greenhouse (admin, the farm's cooperative).")
            .RequireAuthorization(Policies.AdminOrCooperative);
        group.MapGet("/{id}", GetGreenhouse).WithName("GetGreenhouse")
            .WithSummary("A greenhouse with its stage and conditions (admin, the farm's cooperative and technicians).");
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
        var view = ResourceId.IsValid(id) ? await grains.GetGrain<IGreenhouseGrain>(id).GetAsync() : null;
        if (view is null)
        {
            return ApiResults.NotFound("greenhouse", id);
        }

        return user.ToCaller().CanRead(new FarmRef(view.Profile.FarmId, view.CooperativeId))
            ? TypedResults.Ok(GreenhouseResponse.From(view))
            : TypedResults.Forbid();
    }
}
