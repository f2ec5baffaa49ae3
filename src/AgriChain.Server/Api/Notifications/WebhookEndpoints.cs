using System.Security.Claims;
using AgriChain.Contracts.MasterData;
using AgriChain.Contracts.Notifications;
using AgriChain.Domain.Access;
using AgriChain.Domain.Common;
using AgriChain.Domain.Notifications;
using AgriChain.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AgriChain.Server.Api.Notifications;

/// <summary>
/// Webhooks of a notification owner: <c>/api/v1/cooperatives/{id}/webhooks</c> (admin, the cooperative) and
/// <c>/api/v1/buyers/{id}/webhooks</c> (admin, the buyer). Both kinds of owner share the handlers.
/// </summary>
public static class WebhookEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static RouteGroupBuilder MapCooperativeWebhookEndpoints(this IEndpointRouteBuilder routes) =>
        Map(routes, WebhookOwners.Cooperatives);

    public static RouteGroupBuilder MapBuyerWebhookEndpoints(this IEndpointRouteBuilder routes) =>
        Map(routes, WebhookOwners.Buyers);

    private static RouteGroupBuilder Map(IEndpointRouteBuilder routes, WebhookOwners owners)
    {
        var group = routes.MapGroup($"{owners.Prefix}/{{id}}/webhooks").WithTags("Webhooks");
        group.MapPut("/{name}", (string id, string name, WebhookRequest request, IGrainFactory grains, ClaimsPrincipal user,
                IOptions<WebhookOptions> options) =>
                PutWebhook(owners, id, name, request, grains, user, options.Value))
            .WithName($"Put{owners.Label}Webhook")
            .WithSummary($"Create or update a webhook of a {owners.Noun} ({owners.Who}); kind generic or wecom.");
        group.MapGet("", (string id, int? limit, string? pageToken, IGrainFactory grains, ClaimsPrincipal user) =>
                ListWebhooks(owners, id, limit, pageToken, grains, user))
            .WithName($"List{owners.Label}Webhooks")
            .WithSummary($"The webhooks of a {owners.Noun} with their delivery state, without secrets ({owners.Who}).");
        group.MapGet("/{name}", (string id, string name, IGrainFactory grains, ClaimsPrincipal user) =>
                GetWebhook(owners, id, name, grains, user))
            .WithName($"Get{owners.Label}Webhook")
            .WithSummary($"One webhook of a {owners.Noun}, without its secret ({owners.Who}).");
        group.MapDelete("/{name}", (string id, string name, IGrainFactory grains, ClaimsPrincipal user) =>
                DeleteWebhook(owners, id, name, grains, user))
            .WithName($"Delete{owners.Label}Webhook")
            .WithSummary($"Delete a webhook of a {owners.Noun}; what it had not delivered is dropped ({owners.Who}).");
        return group;
    }

    private static async Task<Results<Created<WebhookResponse>, Ok<WebhookResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> PutWebhook(
        WebhookOwners owners, string id, string name, WebhookRequest request, IGrainFactory grains, ClaimsPrincipal user,
        WebhookOptions options)
    {
        if (!owners.MayManage(user.ToCaller(), id))
        {
            return TypedResults.Forbid();
        }

        var errors = new FieldErrors();
        errors.RequireId("id", id);
        errors.RequireId("name", name);
        var spec = WebhookSpec.Validate(request.Url, request.Secret, request.Kind, errors);
        if (spec is not null && !options.AllowPrivateNetworks && WebhookTargets.NamesNonPublicHost(new Uri(spec.Url)))
        {
            errors.Add("url", WebhookTargets.NotPublic);
        }

        if (spec is null || !errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        if (!await owners.ExistsAsync(grains, id))
        {
            return ApiResults.NotFound(owners.Noun, id);
        }

        var result = await owners.Outbox(grains, id).PutWebhookAsync(name, spec);
        return ApiResults.Upsert(result, WebhookResponse.From, $"{owners.Prefix}/{id}/webhooks/{name}");
    }

    private static async Task<Results<Ok<WebhookListResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> ListWebhooks(
        WebhookOwners owners, string id, int? limit, string? pageToken, IGrainFactory grains, ClaimsPrincipal user)
    {
        if (!owners.MayManage(user.ToCaller(), id))
        {
            return TypedResults.Forbid();
        }

        var errors = new FieldErrors();
        var take = limit ?? DefaultLimit;
        if (take is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"must be between 1 and {MaxLimit}");
        }

        // Webhook names are ids, and a page token is the last name of the previous page.
        if (pageToken is not null && !ResourceId.IsValid(pageToken))
        {
            errors.Add("pageToken", "is not a token this API issued");
        }

        if (!errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        if (!await owners.ExistsAsync(grains, id))
        {
            return ApiResults.NotFound(owners.Noun, id);
        }

        var after = (await owners.Outbox(grains, id).ListWebhooksAsync())
            .Where(w => pageToken is null || string.CompareOrdinal(w.Name, pageToken) > 0)
            .ToList();
        var page = after.Take(take).Select(WebhookResponse.From).ToList();
        return TypedResults.Ok(new WebhookListResponse(page, after.Count > take ? page[^1].Name : null));
    }

    private static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult, ForbidHttpResult>> GetWebhook(
        WebhookOwners owners, string id, string name, IGrainFactory grains, ClaimsPrincipal user)
    {
        if (!owners.MayManage(user.ToCaller(), id))
        {
            return TypedResults.Forbid();
        }

        var webhook = ResourceId.IsValid(id) && ResourceId.IsValid(name)
            ? (await owners.Outbox(grains, id).ListWebhooksAsync()).FirstOrDefault(w => w.Name == name)
            : null;
        return webhook is null ? ApiResults.NotFound("webhook", name) : TypedResults.Ok(WebhookResponse.From(webhook));
    }

    private static async Task<Results<NoContent, ProblemHttpResult, ForbidHttpResult>> DeleteWebhook(
        WebhookOwners owners, string id, string name, IGrainFactory grains, ClaimsPrincipal user)
    {
        if (!owners.MayManage(user.ToCaller(), id))
        {
            return TypedResults.Forbid();
        }

        var deleted = ResourceId.IsValid(id) && ResourceId.IsValid(name)
            && await owners.Outbox(grains, id).DeleteWebhookAsync(name);
        return deleted ? TypedResults.NoContent() : ApiResults.NotFound("webhook", name);
    }

    /// <summary>What differs between cooperative and buyer webhooks: the route, who may manage them, and the owner.</summary>
    private sealed record WebhookOwners(
        NotificationOwnerKind Kind,
        string Prefix,
        string Label,
        string Who,
        Func<Caller, string, bool> MayManage,
        Func<IGrainFactory, string, Task<bool>> Exists)
    {
        public static readonly WebhookOwners Cooperatives = new(NotificationOwnerKind.Cooperative, "/api/v1/cooperatives",
            "Cooperative", "admin, the cooperative",
            (caller, id) => caller.CanRead(new CooperativeRef(id)),
            async (grains, id) => await grains.GetGrain<ICooperativeGrain>(id).GetAsync() is not null);

        public static readonly WebhookOwners Buyers = new(NotificationOwnerKind.Buyer, "/api/v1/buyers",
            "Buyer", "admin, the buyer",
            (caller, id) => caller.CanReadBuyer(id),
            async (grains, id) => await grains.GetGrain<IBuyerGrain>(id).GetAsync() is not null);

        public string Noun => NotificationOwner.NameOf(Kind);

        public async Task<bool> ExistsAsync(IGrainFactory grains, string id) => ResourceId.IsValid(id) && await Exists(grains, id);

        public INotificationOutboxGrain Outbox(IGrainFactory grains, string id) =>
            grains.GetGrain<INotificationOutboxGrain>(new NotificationOwner(Kind, id).Key);
    }
}
