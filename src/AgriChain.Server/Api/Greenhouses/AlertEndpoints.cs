using System.Security.Claims;
using AgriChain.Contracts.Greenhouses;
using AgriChain.Domain.Access;
using AgriChain.Domain.Common;
using AgriChain.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgriChain.Server.Api.Greenhouses;

public static class AlertEndpoints
{
    public static RouteGroupBuilder MapAlertEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/alerts").WithTags("Alerts");
        group.MapGet("/", GetAlerts).WithName("GetAlerts")
            .WithSummary("Alerts across farms and regions within the caller's scope; open alerts come from region rollups.");
        group.MapPost("/{id}/acknowledge", Acknowledge).WithName("AcknowledgeAlert")
            .WithSummary("Acknowledge an alert (technicians of the farm, its cooperative, admin).");
        return group;
    }

    private static async Task<Results<Ok<Page<AlertResponse>>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> GetAlerts(
        string? state, string? farmId, string? village, string? township, string? county, int? limit, string? pageToken,
        IGrainFactory grains, IAlertJournal journal, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var filter = AlertQueries.ParseState(state, errors);
        var size = AlertQueries.ParseLimit(limit, errors);
        errors.OptionalId("farmId", farmId);
        if (!errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        var caller = user.ToCaller();
        if (caller.Role == Role.Buyer || (caller.Role == Role.Technician && farmId is not null && !caller.FarmIds.Contains(farmId)))
        {
            return TypedResults.Forbid();
        }

        // The caller's scope narrows every query: a cooperative sees its own farms, a technician the farms it works on.
        var cooperativeId = caller.Role == Role.Cooperative ? caller.CooperativeId : null;
        IReadOnlyList<string>? farmIds = farmId is not null ? [farmId]
            : caller.Role == Role.Technician ? caller.FarmIds.Order(StringComparer.Ordinal).ToList()
            : null;
        var query = new AlertQuery(filter, null, farmIds, cooperativeId, village, township, county, size, pageToken);

        if (filter != AlertStateFilter.Open)
        {
            return await AlertQueries.QueryJournalAsync(journal, query, cancellationToken);
        }

        var open = await OpenFromRollupsAsync(grains, query);
        var page = AlertQueries.PageOf(open.Select(AlertResponse.From).ToList(), size, pageToken);
        return page is null ? ApiResults.Invalid("pageToken", "is not a token this query returned") : TypedResults.Ok(page);
    }

    /// <summary>Reads the narrowest rollup(s) that cover the query, then applies every filter to what they hold.</summary>
    private static async Task<IReadOnlyList<AlertRecord>> OpenFromRollupsAsync(IGrainFactory grains, AlertQuery query)
    {
        IEnumerable<string> keys = query.FarmIds is { } farms ? farms.Select(AlertRollupKeys.Farm)
            : query.Village is { } v ? [AlertRollupKeys.Village(v)]
            : query.Township is { } t ? [AlertRollupKeys.Township(t)]
            : query.County is { } c ? [AlertRollupKeys.County(c)]
            : query.CooperativeId is { } coop ? [AlertRollupKeys.Cooperative(coop)]
            : [AlertRollupKeys.All];
        var lists = await Task.WhenAll(keys.Select(k => grains.GetGrain<IAlertRollupGrain>(k).GetOpenAsync()));
        return lists.SelectMany(l => l)
            .Where(r => query.CooperativeId is null || r.Location.CooperativeId == query.CooperativeId)
            .Where(r => query.FarmIds is null || query.FarmIds.Contains(r.Location.FarmId))
            .Where(r => query.Village is null || r.Location.Region.Village == query.Village)
            .Where(r => query.Township is null || r.Location.Region.Township == query.Township)
            .Where(r => query.County is null || r.Location.Region.County == query.County)
            .DistinctBy(r => r.Alert.Id)
            .OrderByDescending(r => r.Alert.OpenedAt).ThenBy(r => r.Alert.Id, StringComparer.Ordinal)
            .ToList();
    }

    private static async Task<Results<Ok<AlertResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> Acknowledge(
        string id, AcknowledgeRequest? request, IGrainFactory grains, IAlertJournal journal, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var note = errors.OptionalText("note", request?.Note, 500);
        if (!errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        var record = ResourceId.IsValid(id) ? await journal.GetAsync(id, cancellationToken) : null;
        if (record is null)
        {
            return ApiResults.NotFound("alert", id);
        }

        if (!user.ToCaller().CanWorkOn(new FarmRef(record.Location.FarmId, record.Location.CooperativeId)))
        {
            return TypedResults.Forbid();
        }

        var alert = await grains.GetGrain<IGreenhouseGrain>(record.Alert.GreenhouseId).AcknowledgeAsync(id, user.Actor(), note);
        return alert is null ? ApiResults.NotFound("alert", id) : TypedResults.Ok(AlertResponse.From(alert, record.Location));
    }
}
