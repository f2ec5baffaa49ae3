using System.Security.Claims;
using AgriChain.Contracts.Greenhouses;
using AgriChain.Contracts.Market;
using AgriChain.Contracts.MasterData;
using AgriChain.Contracts.Traceability;
using AgriChain.Domain.Access;
using AgriChain.Domain.Common;
using AgriChain.Domain.Market;
using AgriChain.Domain.MasterData;
using AgriChain.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgriChain.Server.Api.Market;

/// <summary><c>/api/v1/offers</c>: cooperatives offer batches on hand and greenhouse forecasts, and withdraw them.</summary>
public static class OfferEndpoints
{
    public static RouteGroupBuilder MapOfferEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/offers").WithTags("Market").RequireAuthorization(Policies.AdminOrCooperative);
        group.MapPost("/", CreateOffer).WithName("CreateOffer")
            .WithSummary("Offer a batch on hand (batchId: its quantity is reserved on the batch) or a greenhouse's forecast " +
                "(greenhouseId: capped by the forecast, shrinking with it); the owning cooperative or admin. Same body again: 200.");
        group.MapGet("/{id}", GetOffer).WithName("GetOffer")
            .WithSummary("An offer with what is allocated to demands and what is free (the owning cooperative, admin).");
        group.MapDelete("/{id}", WithdrawOffer).WithName("WithdrawOffer")
            .WithSummary("Withdraw an offer: it leaves the market and releases its batch or forecast; demands holding some of it " +
                "are re-matched elsewhere. Idempotent.");
        return group;
    }

    private static async Task<Results<Created<OfferResponse>, Ok<OfferResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> CreateOffer(
        OfferRequest request, IGrainFactory grains, ClaimsPrincipal user, TimeProvider time)
    {
        var errors = new FieldErrors();
        var id = errors.RequireId("id", request.Id);
        var terms = MarketRules.Offer(request.OwnerId, request.Product, request.Grade, request.QuantityKg, request.PricePerKg,
            request.AvailableFrom, request.AvailableTo, request.BatchId, request.GreenhouseId, time.GetUtcNow(), errors);
        if (terms is null || !errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        var caller = user.ToCaller();
        if (!caller.CanManageBatch(terms.OwnerId))
        {
            return TypedResults.Forbid();
        }

        var cooperative = await grains.GetGrain<ICooperativeGrain>(terms.OwnerId).GetAsync();
        if (cooperative is null)
        {
            return ApiResults.Invalid("ownerId", $"Cooperative '{terms.OwnerId}' does not exist.");
        }

        var source = terms.BatchId is not null
            ? await OnHandAsync(terms, cooperative, caller, grains, errors)
            : await ForecastAsync(terms, caller, grains, errors);
        if (source.Forbidden)
        {
            return TypedResults.Forbid();
        }

        if (!errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        var result = await grains.GetGrain<IOfferGrain>(id).OpenAsync(
            new OfferOpening(terms, source.Region!, source.ColdEvent, source.BatchQuantity, user.Actor()));
        return result.Outcome switch
        {
            OfferOutcome.Created => TypedResults.Created($"/api/v1/offers/{id}", OfferResponse.From(result.Offer!)),
            OfferOutcome.Unchanged => TypedResults.Ok(OfferResponse.From(result.Offer!)),
            OfferOutcome.Conflict => ApiResults.Conflict(result.Detail!, "id"),
            OfferOutcome.Shortfall => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
                detail: result.Detail, extensions: new Dictionary<string, object?> { ["field"] = "quantityKg", ["availableKg"] = result.AvailableKg }),
            _ => ApiResults.Conflict(result.Detail!),
        };
    }

    /// <summary>The batch must be the owner's, of the offered product, at least the offered grade, counted in kg or t.</summary>
    private static async Task<OfferSource> OnHandAsync(OfferTerms terms, CooperativeView cooperative, Caller caller, IGrainFactory grains,
        FieldErrors errors)
    {
        var batch = await grains.GetGrain<IBatchGrain>(terms.BatchId!).GetAsync();
        if (batch is null)
        {
            errors.Add("batchId", $"Batch '{terms.BatchId}' does not exist.");
            return OfferSource.None;
        }

        var spec = batch.Spec;
        if (!caller.CanManageBatch(spec.OwnerId))
        {
            return OfferSource.Refused;
        }

        if (spec.OwnerId != terms.OwnerId)
        {
            errors.Add("batchId", $"Batch '{terms.BatchId}' is not a batch of cooperative '{terms.OwnerId}'.");
        }

        if (spec.Product != terms.Product)
        {
            errors.Add("product", $"Batch '{terms.BatchId}' holds {spec.Product}.");
        }

        var kgPerUnit = spec.Unit switch { "kg" => 1m, "t" => 1000m, _ => 0m };
        if (kgPerUnit == 0)
        {
            errors.Add("batchId", $"Batch '{terms.BatchId}' is counted in {spec.Unit}; only batches in kg or t are sold by the kilogram.");
        }

        if (spec.Grade is null || !MarketGrades.AtLeast(spec.Grade, terms.Grade))
        {
            errors.Add("grade", $"Batch '{terms.BatchId}' is {(spec.Grade is null ? "ungraded" : $"grade {spec.Grade}")}; an offer cannot promise a better grade.");
        }

        if (!errors.IsEmpty)
        {
            return OfferSource.None;
        }

        var region = cooperative.Profile.Region;
        var cold = false;
        if (spec.Origin is { } origin)
        {
            region = (await grains.GetGrain<IFarmGrain>(origin.FarmId).GetAsync())?.Profile.Region ?? region;
            if (origin.GreenhouseId is { } greenhouseId)
            {
                cold = (await grains.GetGrain<IGreenhouseGrain>(greenhouseId).GetConditionSummaryAsync(origin.HarvestedAt))?.ColdEvent ?? false;
            }
        }

        return new OfferSource(region, cold, terms.QuantityKg / kgPerUnit, false);
    }

    /// <summary>The greenhouse must be on one of the owner's farms and grow the offered product.</summary>
    private static async Task<OfferSource> ForecastAsync(OfferTerms terms, Caller caller, IGrainFactory grains, FieldErrors errors)
    {
        var greenhouse = await grains.GetGrain<IGreenhouseGrain>(terms.GreenhouseId!).GetAsync();
        if (greenhouse is null)
        {
            errors.Add("greenhouseId", $"Greenhouse '{terms.GreenhouseId}' does not exist.");
            return OfferSource.None;
        }

        if (!caller.CanManage(new FarmRef(greenhouse.Profile.FarmId, greenhouse.CooperativeId)))
        {
            return OfferSource.Refused;
        }

        if (greenhouse.CooperativeId != terms.OwnerId)
        {
            errors.Add("greenhouseId", $"Greenhouse '{terms.GreenhouseId}' is not on a farm of cooperative '{terms.OwnerId}'.");
        }

        if (greenhouse.Profile.Crop != terms.Product)
        {
            errors.Add("product", $"Greenhouse '{terms.GreenhouseId}' grows {greenhouse.Profile.Crop}.");
        }

        var region = greenhouse.Region ?? (await grains.GetGrain<IFarmGrain>(greenhouse.Profile.FarmId).GetAsync())?.Profile.Region;
        return new OfferSource(region ?? new Region("", "", ""), false, 0, false);
    }

    private static async Task<Results<Ok<OfferResponse>, ProblemHttpResult, ForbidHttpResult>> GetOffer(
        string id, IGrainFactory grains, ClaimsPrincipal user)
    {
        var offer = ResourceId.IsValid(id) ? await grains.GetGrain<IOfferGrain>(id).GetAsync() : null;
        if (offer is null)
        {
            return ApiResults.NotFound("offer", id);
        }

        return user.ToCaller().CanManageBatch(offer.Terms.OwnerId) ? TypedResults.Ok(OfferResponse.From(offer)) : TypedResults.Forbid();
    }

    private static async Task<Results<Ok<OfferResponse>, ProblemHttpResult, ForbidHttpResult>> WithdrawOffer(
        string id, IGrainFactory grains, ClaimsPrincipal user)
    {
        var offer = ResourceId.IsValid(id) ? grains.GetGrain<IOfferGrain>(id) : null;
        var view = offer is null ? null : await offer.GetAsync();
        if (view is null)
        {
            return ApiResults.NotFound("offer", id);
        }

        if (!user.ToCaller().CanManageBatch(view.Terms.OwnerId))
        {
            return TypedResults.Forbid();
        }

        return TypedResults.Ok(OfferResponse.From((await offer!.WithdrawAsync(user.Actor()))!));
    }

    /// <summary>Where an offer's produce is, whether its crop saw cold at bloom, and its quantity in the batch's unit.</summary>
    private sealed record OfferSource(Region? Region, bool ColdEvent, decimal BatchQuantity, bool Forbidden)
    {
        public static readonly OfferSource None = new(null, false, 0, false);
        public static readonly OfferSource Refused = new(null, false, 0, true);
    }
}
