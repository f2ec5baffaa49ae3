using System.Security.Claims;
using AgriChain.Domain.Notifications;
using AgriChain.Grains.Notifications;
using AgriChain.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgriChain.Server.Api.Notifications;

/// <summary><c>GET /api/v1/alerts/stream</c>: alert changes as they happen, as server-sent events.</summary>
public static class AlertStreamEndpoints
{
    public static RouteGroupBuilder MapAlertStreamEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/alerts").WithTags("Alerts");
        group.MapGet("/stream", StreamAlerts).WithName("StreamAlerts")
            .WithSummary("Alert changes as server-sent events (alert.opened, alert.closed, alert.acknowledged), " +
                "limited to the caller's scope (admin, cooperative, technician; not buyers).");
        return group;
    }

    private static Results<AlertEventStream, ForbidHttpResult> StreamAlerts(ClaimsPrincipal user, AlertLiveFeed feed,
        TimeProvider time, NotificationInstruments instruments, IHostApplicationLifetime lifetime)
    {
        var caller = user.ToCaller();
        if (!AlertStreamAccess.CanOpen(caller))
        {
            return TypedResults.Forbid();
        }

        return new AlertEventStream(feed, alert => AlertStreamAccess.CanSee(caller, alert.CooperativeId, alert.FarmId),
            time, instruments, lifetime.ApplicationStopping);
    }
}
