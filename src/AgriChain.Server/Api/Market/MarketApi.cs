using AgriChain.Server.Api.Market;

// In AgriChain.Server.Api, which Program already imports, so that the market costs Program one line.
namespace AgriChain.Server.Api;

public static class MarketApi
{
    /// <summary>Offers, the supply query, demands and buyers' watches.</summary>
    public static IEndpointRouteBuilder MapMarketEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapOfferEndpoints();
        routes.MapSupplyEndpoints();
        routes.MapDemandEndpoints();
        routes.MapMarketListingEndpoints();
        routes.MapWatchEndpoints();
        return routes;
    }
}
