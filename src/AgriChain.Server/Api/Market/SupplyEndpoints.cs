using AgriChain.Contracts.Market;
using AgriChain.Domain.Access;
using AgriChain.Domain.Common;
using AgriChain.Domain.Market;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgriChain.Server.Api.Market;

/// <summary><c>GET /api/v1/supply</c>: free supply per village, from the product's county indexes.</summary>
public static class SupplyEndpoints
{
    public static RouteGroupBuilder MapSupplyEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/supply").WithTags("Market")
            .RequireAuthorization(p => p.RequireRole(RoleNames.Admin, RoleNames.Cooperative, RoleNames.Buyer));
        group.MapGet("", GetSupply).WithName("GetSupply")
            .WithSummary("Free kilograms of a product (grade at least as good, available by a date, inside a village, township " +
                "or county), on hand and forecast, with a per-village breakdown (buyers, cooperatives, admin).");
        return group;
    }

    private static async Task<Results<Ok<SupplyResponse>, ValidationProblem>> GetSupply(
        string? product, string? grade, string? availableBy, string? village, string? township, string? county,
        bool? excludeColdEvents, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var filter = MarketRules.Supply(product, grade, availableBy, village, township, county, excludeColdEvents, errors);
        if (filter is null)
        {
            return ApiResults.Invalid(errors);
        }

        // One index per county: a county-wide question asks one grain, a wider one asks each county that has offers.
        var counties = filter.County is { } one
            ? [one]
            : await grains.GetGrain<ISupplyDirectoryGrain>(filter.Product).GetCountiesAsync();
        var answers = await Task.WhenAll(counties.Select(c =>
            grains.GetGrain<ISupplyIndexGrain>(MarketKeys.SupplyPartition(filter.Product, c)).QueryAsync(filter)));
        return TypedResults.Ok(SupplyResponse.From(filter.Product, SupplyMath.Merge(answers.SelectMany(a => a))));
    }
}
