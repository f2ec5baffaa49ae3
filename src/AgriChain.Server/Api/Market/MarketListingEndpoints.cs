using System.Security.Claims;
using AgriChain.Contracts.Market;
using AgriChain.Domain.Access;
using AgriChain.Domain.Common;
using AgriChain.Server.Api.Greenhouses;
using AgriChain.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgriChain.Server.Api.Market;

/// <summary>
/// <c>/api/v1/cooperatives/{id}/offers</c>, <c>/api/v1/buyers/{id}/demands</c> and <c>/api/v1/buyers/{id}/watches</c>:
/// an owner's offers, demands or watches, newest first, a page at a time, each as its grain holds it now.
/// </summary>
public static class MarketListingEndpoints
{
    public const int DefaultLimit = 100;

    public static IEndpointRouteBuilder MapMarketListingEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/cooperatives/{id}/offers", ListOffers).WithTags("Market").WithName("ListCooperativeOffers")
            .RequireAuthorization(Policies.AdminOrCooperative)
            .WithSummary("A cooperative's offers, newest first, with what each has allocated and free now (the cooperative, admin).");
        routes.MapGet("/api/v1/buyers/{id}/demands", ListDemands).WithTags("Market").WithName("ListBuyerDemands")
            .RequireAuthorization(p => p.RequireRole(RoleNames.Admin, RoleNames.Buyer))
            .WithSummary("A buyer's demands, newest first, with their matches now (the buyer, admin).");
        routes.MapGet("/api/v1/buyers/{id}/watches", ListWatches).WithTags("Market").WithName("ListBuyerWatches")
            .RequireAuthorization(p => p.RequireRole(RoleNames.Admin, RoleNames.Buyer))
            .WithSummary("A buyer's watches, newest first, with the supply each counts now (the buyer, admin).");
        return routes;
    }

    private static async Task<Results<Ok<Page<OfferResponse>>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> ListOffers(
        string id, int? limit, string? pageToken, IGrainFactory grains, IMarketListings listings, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        if (!ResourceId.IsValid(id))
        {
            return ApiResults.NotFound("cooperative", id);
        }

        if (!user.ToCaller().CanManageBatch(id))
        {
            return TypedResults.Forbid();
        }

        var page = await PageAsync(MarketListingKind.Offer, id, limit, pageToken, listings, cancellationToken);
        if (page.Problem is { } problem)
        {
            return problem;
        }

        var views = await Task.WhenAll(page.Ids.Select(offer => grains.GetGrain<IOfferGrain>(offer).GetAsync()));
        var items = views.Where(v => v is not null && v.Terms.OwnerId == id).Select(v => OfferResponse.From(v!)).ToList();
        return TypedResults.Ok(new Page<OfferResponse>(items, page.Next));
    }

    private static async Task<Results<Ok<Page<DemandResponse>>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> ListDemands(
        string id, int? limit, string? pageToken, IGrainFactory grains, IMarketListings listings, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        if (!ResourceId.IsValid(id))
        {
            return ApiResults.NotFound("buyer", id);
        }

        if (!user.ToCaller().CanReadBuyer(id))
        {
            return TypedResults.Forbid();
        }

        var page = await PageAsync(MarketListingKind.Demand, id, limit, pageToken, listings, cancellationToken);
        if (page.Problem is { } problem)
        {
            return problem;
        }

        var views = await Task.WhenAll(page.Ids.Select(demand => grains.GetGrain<IDemandGrain>(demand).GetAsync()));
        var items = views.Where(v => v is not null && v.Terms.BuyerId == id).Select(v => DemandResponse.From(v!)).ToList();
        return TypedResults.Ok(new Page<DemandResponse>(items, page.Next));
    }

    private static async Task<Results<Ok<Page<WatchResponse>>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> ListWatches(
        string id, int? limit, string? pageToken, IGrainFactory grains, IMarketListings listings, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        if (!ResourceId.IsValid(id))
        {
            return ApiResults.NotFound("buyer", id);
        }

        if (!user.ToCaller().CanReadBuyer(id))
        {
            return TypedResults.Forbid();
        }

        var page = await PageAsync(MarketListingKind.Watch, id, limit, pageToken, listings, cancellationToken);
        if (page.Problem is { } problem)
        {
            return problem;
        }

        // Deleted watches are gone from their grain and so from the page.
        var views = await Task.WhenAll(page.Ids.Select(watch => grains.GetGrain<IWatchGrain>(MarketKeys.Watch(id, watch)).GetAsync()));
        return TypedResults.Ok(new Page<WatchResponse>(views.OfType<WatchView>().Select(WatchResponse.From).ToList(), page.Next));
    }

    /// <summary>One page of the owner's listing, or the 400 that names the bad <c>limit</c> or <c>pageToken</c>.</summary>
    private static async Task<(IReadOnlyList<string> Ids, string? Next, ValidationProblem? Problem)> PageAsync(
        MarketListingKind kind, string ownerId, int? limit, string? pageToken, IMarketListings listings, CancellationToken cancellationToken)
    {
        var take = limit ?? DefaultLimit;
        if (take is < 1 or > AgriChain.Storage.Market.MarketListingStore.MaxLimit)
        {
            return ([], null, ApiResults.Invalid("limit", $"must be between 1 and {AgriChain.Storage.Market.MarketListingStore.MaxLimit}"));
        }

        try
        {
            var page = await listings.ListAsync(kind, ownerId, pageToken, take, cancellationToken);
            return (page.Ids, page.NextPageToken, null);
        }
        catch (ArgumentException) when (pageToken is not null)
        {
            return ([], null, ApiResults.Invalid("pageToken", "is not a token this listing returned"));
        }
    }
}
