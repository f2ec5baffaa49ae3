using AgriChain.Domain.Common;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgriChain.Server.Api.Traceability;

/// <summary>The consumer page behind the QR code on a label: public, no key, no script, nothing commercial.</summary>
public static class PublicTraceEndpoints
{
    public const string PathPrefix = "/trace";

    /// <summary>Proxies may keep a page this long: a recall reaches every reader within a minute.</summary>
    private const string CacheControl = "public, max-age=60";

    public static IEndpointConventionBuilder MapPublicTraceEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapGet($"{PathPrefix}/{{batchId}}", GetTracePage).WithName("GetPublicTracePage")
            .WithTags("Public trace")
            .WithSummary("The public consumer page of a batch: origin, harvest, inspections, what it was made from, growing conditions, recall notice (no key).")
            .Produces<string>(StatusCodes.Status200OK, "text/html")
            .Produces<string>(StatusCodes.Status404NotFound, "text/html")
            .AllowAnonymous();

    /// <summary>
    /// The absolute URL of a batch's public page as this request sees the server: its scheme, host and path base,
    /// which the forwarded-headers middleware rewrites when (and only when) the host is configured to trust a proxy.
    /// </summary>
    internal static string PublicUrl(HttpRequest request, string batchId) =>
        UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, $"{PathPrefix}/{batchId}");

    private static async Task<ContentHttpResult> GetTracePage(string batchId, HttpContext context, IGrainFactory grains,
        LineageReader lineage, CancellationToken cancellationToken)
    {
        PublicTraceModel? model = null;
        if (ResourceId.IsValid(batchId))
        {
                model = await PublicTraceModel.LoadAsync(grains, lineage, batchId, cancellationToken);
        }

        // A batch may be created right after someone scanned too early: do not let caches keep the miss.
        return model is null
            ? PublicTraceHtml.Page(context, PublicTracePage.NotFound(batchId), "no-store", StatusCodes.Status404NotFound)
            : PublicTraceHtml.Page(context, PublicTracePage.Render(model), CacheControl);
    }
}
