using System.Security.Claims;
using AgriChain.Contracts.Traceability;
using AgriChain.Domain.Common;
using AgriChain.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgriChain.Server.Api.Traceability;

public static class CertificateEndpoints
{
    public static RouteGroupBuilder MapCertificateEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/batches").WithTags("Batches");
        group.MapGet("/{id}/certificate", GetCertificate).WithName("GetBatchCertificate")
            .WithSummary("The batch's commitment certificate (承诺达标合格证) as a printable HTML page with a QR code to its public trace page (admin, the owning cooperative, buyers it was shipped to).")
            .Produces<string>(StatusCodes.Status200OK, "text/html");
        return group;
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult, ForbidHttpResult>> GetCertificate(
        string id, HttpContext context, IGrainFactory grains, LineageReader lineage, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var batch = ResourceId.IsValid(id) ? await grains.GetGrain<IBatchGrain>(id).GetAsync() : null;
        if (batch is null)
        {
            return ApiResults.NotFound("batch", id);
        }

        if (!user.ToCaller().CanReadBatch(batch.Spec.OwnerId, batch.Buyers))
        {
            return TypedResults.Forbid();
        }

        var model = await PublicTraceModel.LoadAsync(grains, lineage, id, cancellationToken);
        if (model is null)
        {
            return ApiResults.NotFound("batch", id);
        }

        var url = PublicTraceEndpoints.PublicUrl(context.Request, id);
        var issuedOn = PublicTraceHtml.LocalDate(time.GetUtcNow());
        var html = CertificatePage.Render(model, url, CertificateQrCode.Svg(url), issuedOn);
        return PublicTraceHtml.Page(context, html, "private, no-store");
    }
}
