using AgriChain.Contracts.Traceability;
using AgriChain.Domain.Common;
using AgriChain.Server.Api.Traceability;
using AgriChain.Server.Auth;

namespace AgriChain.Server.Web;

/// <summary>
/// The printable certificate for a signed-in page user: the same page as <c>GET /api/v1/batches/{id}/certificate</c>,
/// with the same read rule, reached with the session cookie instead of a bearer key.
/// </summary>
internal static class WebCertificate
{
    public static async Task<IResult> GetAsync(string id, HttpContext context, IGrainFactory grains, LineageReader lineage,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var batch = ResourceId.IsValid(id) ? await grains.GetGrain<IBatchGrain>(id).GetAsync() : null;
        if (batch is null)
        {
            return Results.NotFound();
        }

        if (!context.User.ToCaller().CanReadBatch(batch.Spec.OwnerId, batch.Buyers))
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        var model = await PublicTraceModel.LoadAsync(grains, lineage, id, cancellationToken);
        if (model is null)
        {
            return Results.NotFound();
        }

        var url = PublicTraceEndpoints.PublicUrl(context.Request, id);
        var html = CertificatePage.Render(model, url, CertificateQrCode.Svg(url), PublicTraceHtml.LocalDate(time.GetUtcNow()));
        return PublicTraceHtml.Page(context, html, "private, no-store");
    }
}
