using System.Security.Claims;
using AgriChain.Contracts.Market;
using AgriChain.Contracts.MasterData;
using AgriChain.Domain.Access;
using AgriChain.Domain.Common;
using AgriChain.Domain.Market;
using AgriChain.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgriChain.Server.Api.Market;

/// <summary><c>/api/v1/demands</c>: buyers ask for kilograms and get them matched to offers at once.</summary>
public static class DemandEndpoints
{
    public static RouteGroupBuilder MapDemandEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/demands").WithTags("Market")
            .RequireAuthorization(p => p.RequireRole(RoleNames.Admin, RoleNames.Buyer));
        group.MapPost("/", SubmitDemand).WithName("SubmitDemand")
            .WithSummary("Ask for kilograms (a buyer for itself, admin): matched at once to eligible offers cheapest first, then " +
                "earliest available, then oldest, across villages; what is matched is held for the demand. Same body again: 200.");
        group.MapGet("/{id}", GetDemand).WithName("GetDemand")
            .WithSummary("A demand with its matches and any re-matching after an offer took kilograms back (its buyer, admin).");
        group.MapPost("/{id}/cancel", CancelDemand).WithName("CancelDemand")
            .WithSummary("Cancel a demand: everything it holds goes back to the offers. Idempotent.");
        return group;
    }

    private static async Task<Results<Created<DemandResponse>, Ok<DemandResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> SubmitDemand(
        DemandRequest request, IGrainFactory grains, ClaimsPrincipal user, TimeProvider time)
    {
        var errors = new FieldErrors();
        var id = errors.RequireId("id", request.Id);
        var terms = MarketRules.Demand(request.BuyerId, request.Product, request.Grade, request.QuantityKg, request.MaxPricePerKg,
            request.DeliverBy, request.County, request.Township, time.GetUtcNow(), errors);
        if (terms is null || !errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        if (!user.ToCaller().CanReadBuyer(terms.BuyerId))
        {
            return TypedResults.Forbid();
        }

        if (await grains.GetGrain<IBuyerGrain>(terms.BuyerId).GetAsync() is null)
        {
            return ApiResults.Invalid("buyerId", $"Buyer '{terms.BuyerId}' does not exist.");
        }

        var result = await grains.GetGrain<IDemandGrain>(id).SubmitAsync(terms, user.Actor());
        return ApiResults.Upsert(result, DemandResponse.From, $"/api/v1/demands/{id}");
    }

    private static async Task<Results<Ok<DemandResponse>, ProblemHttpResult, ForbidHttpResult>> GetDemand(
        string id, IGrainFactory grains, ClaimsPrincipal user)
    {
        var demand = ResourceId.IsValid(id) ? await grains.GetGrain<IDemandGrain>(id).GetAsync() : null;
        if (demand is null)
        {
            return ApiResults.NotFound("demand", id);
        }

        return user.ToCaller().CanReadBuyer(demand.Terms.BuyerId) ? TypedResults.Ok(DemandResponse.From(demand)) : TypedResults.Forbid();
    }

    private static async Task<Results<Ok<DemandResponse>, ProblemHttpResult, ForbidHttpResult>> CancelDemand(
        string id, IGrainFactory grains, ClaimsPrincipal user)
    {
        var grain = ResourceId.IsValid(id) ? grains.GetGrain<IDemandGrain>(id) : null;
        var demand = grain is null ? null : await grain.GetAsync();
        if (demand is null)
        {
            return ApiResults.NotFound("demand", id);
        }

        if (!user.ToCaller().CanReadBuyer(demand.Terms.BuyerId))
        {
            return TypedResults.Forbid();
        }

        return TypedResults.Ok(DemandResponse.From((await grain!.CancelAsync(user.Actor()))!));
    }
}
