using System.Security.Claims;
using AgriChain.Contracts.MasterData;
using AgriChain.Domain.Common;
using AgriChain.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgriChain.Server.Api.MasterData;

public static class BuyerEndpoints
{
    public static RouteGroupBuilder MapBuyerEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/buyers").WithTags("Buyers");
        group.MapPut("/{id}", PutBuyer).WithName("PutBuyer")
            .WithSummary("Create or update a buyer (admin).").RequireAuthorization(Policies.Admin);
        group.MapGet("/{id}", GetBuyer).WithName("GetBuyer").WithSummary("A buyer (admin, the buyer).");
        return group;
    }

    private static async Task<Results<Created<BuyerResponse>, Ok<BuyerResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> PutBuyer(
        string id, BuyerRequest request, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        errors.RequireId("id", id);
        var profile = request.Validate(errors);
        if (profile is null)
        {
            return ApiResults.Invalid(errors);
        }

        var result = await grains.GetGrain<IBuyerGrain>(id).PutAsync(profile);
        return ApiResults.Upsert(result, BuyerResponse.From, $"/api/v1/buyers/{id}");
    }

    private static async Task<Results<Ok<BuyerResponse>, ProblemHttpResult, ForbidHttpResult>> GetBuyer(
        string id, IGrainFactory grains, ClaimsPrincipal user)
    {
        if (!user.ToCaller().CanReadBuyer(id))
        {
            return TypedResults.Forbid();
        }

        var view = ResourceId.IsValid(id) ? await grains.GetGrain<IBuyerGrain>(id).GetAsync() : null;
        return view is null ? ApiResults.NotFound("buyer", id) : TypedResults.Ok(BuyerResponse.From(view));
    }
}
