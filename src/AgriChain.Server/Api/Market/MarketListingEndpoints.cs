using System.Security.Claims;
using AgriChain.Contracts.Market;
using AgriChain.Domain.Access;
using AgriChain.Domain.Common;
using AgriChain.Server.Api.Greenhouses;
using AgriChain.Server.Auth;
using AgriChain.Storage.Market;
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

    private static Task<Results<Ok<Page<OfferResponse>>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> ListOffers(
        string id, int? limit, string? pageToken, IGrainFactory grains, IMarketListings listings, ClaimsPrincipal user,
        CancellationToken cancellationToken) =>
        ListAsync(MarketListingKind.Offer, "cooperative", id, user.ToCaller().CanManageBatch(id), limit, pageToken, listings,
            async ids => (await Task.WhenAll(ids.Select(offer => grains.GetGrain<IOfferGrain>(offer).GetAsync())))
                .Where(v => v is not null && v.Terms.OwnerId == id).Select(v => OfferResponse.From(v!)),
            cancellationToken);

    private static Task<Results<Ok<Page<DemandResponse>>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> ListDemands(
        string id, int? limit, string? pageToken, IGrainFactory grains, IMarketListings listings, ClaimsPrincipal user,
        CancellationToken cancellationToken) =>
        ListAsync(MarketListingKind.Demand, "buyer", id, user.ToCaller().CanReadBuyer(id), limit, pageToken, listings,
            async ids => (await Task.WhenAll(ids.Select(demand => grains.GetGrain<IDemandGrain>(demand).GetAsync())))
                .Where(v => v is not null && v.Terms.BuyerId == id).Select(v => DemandResponse.From(v!)),
            cancellationToken);

    // Deleted watches are gone from their grain and so from the page.
    private static Task<Results<Ok<Page<WatchResponse>>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> ListWatches(
        string id, int? limit, string? pageToken, IGrainFactory grains, IMarketListings listings, ClaimsPrincipal user,
        CancellationToken cancellationToken) =>
        ListAsync(MarketListingKind.Watch, "buyer", id, user.ToCaller().CanReadBuyer(id), limit, pageToken, listings,
            async ids => (await Task.WhenAll(ids.Select(watch => grains.GetGrain<IWatchGrain>(MarketKeys.Watch(id, watch)).GetAsync())))
                .OfType<WatchView>().Select(WatchResponse.From),
            cancellationToken);

    /// <summary>
    /// One page of an owner's listing: 404 for an id that cannot be one, 403 unless <paramref name="allowed"/>, 400 naming
    /// a bad <c>limit</c> or <c>pageToken</c>; otherwise the page's items as <paramref name="load"/> reads them now.
    /// </summary>
    private static async Task<Results<Ok<Page<T>>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> ListAsync<T>(
        MarketListingKind kind, string owner, string id, bool allowed, int? limit, string? pageToken, IMarketListings listings,
        Func<IReadOnlyList<string>, Task<IEnumerable<T>>> load, CancellationToken cancellationToken)
    {
        if (!ResourceId.IsValid(id))
        {
            return ApiResults.NotFound(owner, id);
        }

        if (!allowed)
        {
            return TypedResults.Forbid();
        }

        var take = limit ?? DefaultLimit;
        if (take is < 1 or > MarketListingStore.MaxLimit)
        {
            return ApiResults.Invalid("limit", $"must be between 1 and {MarketListingStore.MaxLimit}");
        }

        MarketListingPage page;
        try
        {
            page = await listings.ListAsync(kind, id, pageToken, take, cancellationToken);
        }
        catch (ArgumentException) when (pageToken is not null)
        {
            return ApiResults.Invalid("pageToken", "is not a token this listing returned");
        }

        return TypedResults.Ok(new Page<T>((await load(page.Ids)).ToList(), page.NextPageToken));
    }
}
