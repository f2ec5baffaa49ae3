using System.Security.Claims;
using AgriChain.Contracts.Access;
using AgriChain.Contracts.MasterData;
using AgriChain.Domain.Access;
using AgriChain.Domain.Common;
using AgriChain.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgriChain.Server.Api.Access;

public sealed record ApiKeyRequest(string? Role, IReadOnlyList<string?>? FarmIds, string? CooperativeId, string? BuyerId, string? Label);

public sealed record ApiKeyResponse(string Id, string Role, IReadOnlyList<string> FarmIds, string? CooperativeId,
    string? BuyerId, string Label, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt)
{
    public static ApiKeyResponse From(ApiKeyView v) => new(v.Id, v.Grant.Role.ToName(), v.Grant.FarmIds,
        v.Grant.CooperativeId, v.Grant.BuyerId, v.Grant.Label, v.CreatedAt, v.CreatedBy, v.RevokedAt);
}

/// <summary>The answer to issuing a key: the only time the key itself is shown.</summary>
public sealed record IssuedApiKeyResponse(string Id, string Key, string Role, IReadOnlyList<string> FarmIds,
    string? CooperativeId, string? BuyerId, string Label, DateTimeOffset CreatedAt);

public static class ApiKeyEndpoints
{
    public static RouteGroupBuilder MapApiKeyEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/api-keys").WithTags("API keys").RequireAuthorization(Policies.Admin);
        group.MapPost("/", IssueKey).WithName("IssueApiKey")
            .WithSummary("Issue an API key for a role and scope; the key is shown once and stored hashed (admin).");
        group.MapGet("/{id}", GetKey).WithName("GetApiKey").WithSummary("An API key's role, scope and state (admin).");
        group.MapDelete("/{id}", RevokeKey).WithName("RevokeApiKey")
            .WithSummary("Revoke an API key; it stops working at once on every silo (admin).");
        return group;
    }

    private static async Task<Results<Created<IssuedApiKeyResponse>, ValidationProblem>> IssueKey(
        ApiKeyRequest request, IGrainFactory grains, ClaimsPrincipal user, TimeProvider time)
    {
        var errors = new FieldErrors();
        var grant = KeyGrant.Validate(request.Role, request.FarmIds, request.CooperativeId, request.BuyerId, request.Label, errors);
        if (grant is null)
        {
            return ApiResults.Invalid(errors);
        }

        await CheckScopeExistsAsync(grant, request.FarmIds ?? [], grains, errors);
        if (!errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        var (id, secret, token) = ApiKeyToken.Create();
        if (!await grains.GetGrain<IApiKeyGrain>(id).IssueAsync(grant, secret, user.Actor()))
        {
            throw new InvalidOperationException("A freshly drawn API key id was already taken.");
        }

        var response = new IssuedApiKeyResponse(id, token, grant.Role.ToName(), grant.FarmIds, grant.CooperativeId,
            grant.BuyerId, grant.Label, time.GetUtcNow());
        return TypedResults.Created($"/api/v1/api-keys/{id}", response);
    }

    private static async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> GetKey(string id, IGrainFactory grains)
    {
        var view = ResourceId.IsValid(id) ? await grains.GetGrain<IApiKeyGrain>(id).GetAsync() : null;
        return view is null ? ApiResults.NotFound("API key", id) : TypedResults.Ok(ApiKeyResponse.From(view));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeKey(string id, IGrainFactory grains, ClaimsPrincipal user)
    {
        var revoked = ResourceId.IsValid(id) && await grains.GetGrain<IApiKeyGrain>(id).RevokeAsync(user.Actor());
        return revoked ? TypedResults.NoContent() : ApiResults.NotFound("API key", id);
    }

    /// <summary>A key bound to a cooperative, buyer or farm that does not exist is a typo, not a grant.</summary>
    private static async Task CheckScopeExistsAsync(KeyGrant grant, IReadOnlyList<string?> requestedFarms, IGrainFactory grains, FieldErrors errors)
    {
        if (grant.CooperativeId is { } cooperativeId && await grains.GetGrain<ICooperativeGrain>(cooperativeId).GetAsync() is null)
        {
            errors.Add("cooperativeId", $"Cooperative '{cooperativeId}' does not exist.");
        }

        if (grant.BuyerId is { } buyerId && await grains.GetGrain<IBuyerGrain>(buyerId).GetAsync() is null)
        {
            errors.Add("buyerId", $"Buyer '{buyerId}' does not exist.");
        }

        // Validation has run: every requested farm id is well formed.
        var farms = await Task.WhenAll(requestedFarms.Select(f => grains.GetGrain<IFarmGrain>(f!).GetAsync()));
        for (var i = 0; i < farms.Length; i++)
        {
            if (farms[i] is null)
            {
                errors.Add($"farmIds[{i}]", $"Farm '{requestedFarms[i]}' does not exist.");
            }
        }
    }
}
