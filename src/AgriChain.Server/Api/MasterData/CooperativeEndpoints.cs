using System.Security.Claims;
using AgriChain.Contracts.MasterData;
using AgriChain.Domain.Access;
using AgriChain.Domain.Common;
using AgriChain.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgriChain.Server.Api.MasterData;

public static class CooperativeEndpoints
{
    public static RouteGroupBuilder MapCooperativeEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/cooperatives").WithTags("Cooperatives");
        group.MapPut("/{id}", PutCooperative).WithName("PutCooperative")
            .WithSummary("Create or update a cooperative (admin).").RequireAuthorization(Policies.Admin);
        group.MapGet("/{id}", GetCooperative).WithName("GetCooperative")
            .WithSummary("A cooperative with its farm ids (admin, the cooperative).");
        return group;
    }

    private static async Task<Results<Created<CooperativeResponse>, Ok<CooperativeResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> PutCooperative(
        string id, CooperativeRequest request, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        errors.RequireId("id", id);
        var profile = request.Validate(errors);
        if (profile is null)
        {
            return ApiResults.Invalid(errors);
        }

        var result = await grains.GetGrain<ICooperativeGrain>(id).PutAsync(profile);
        return ApiResults.Upsert(result, CooperativeResponse.From, $"/api/v1/cooperatives/{id}");
    }

    private static async Task<Results<Ok<CooperativeResponse>, ProblemHttpResult, ForbidHttpResult>> GetCooperative(
        string id, IGrainFactory grains, ClaimsPrincipal user)
    {
        if (!user.ToCaller().CanRead(new CooperativeRef(id)))
        {
            return TypedResults.Forbid();
        }

        var view = ResourceId.IsValid(id) ? await grains.GetGrain<ICooperativeGrain>(id).GetAsync() : null;
        return view is null ? ApiResults.NotFound("cooperative", id) : TypedResults.Ok(CooperativeResponse.From(view));
    }
}
