using System.Buffers;
using System.Security.Claims;
using System.Text.Json;
using AgriChain.Contracts.Epcis;
using AgriChain.Contracts.Greenhouses;
using AgriChain.Contracts.Traceability;
using AgriChain.Domain.Access;
using AgriChain.Domain.Common;
using AgriChain.Domain.Epcis;
using AgriChain.Server.Api.Traceability;
using AgriChain.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgriChain.Server.Api.Epcis;

/// <summary>
/// EPCIS 2.0 both ways: a batch's lineage exported as an <c>EPCISDocument</c>, partners' documents captured into the
/// read model, and the simple event query over it answering an <c>EPCISQueryDocument</c>.
/// </summary>
public static class EpcisEndpoints
{
    /// <summary>The JSON-LD media type EPCIS documents are answered in.</summary>
    public const string JsonLd = "application/ld+json";

    /// <summary>At most this many events in one captured document (the <c>GS1-EPCIS-Capture-Limit</c>).</summary>
    public const int CaptureLimit = 10_000;

    /// <summary>At most this many bytes in one captured document.</summary>
    public const int CaptureFileSizeLimit = 32 * 1024 * 1024;

    public static RouteGroupBuilder MapEpcisEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/v1/batches").WithTags("EPCIS")
            .MapGet("/{id}/epcis", Export).WithName("ExportBatchEpcis")
            .WithSummary("The batch's lineage as an EPCIS 2.0 EPCISDocument (JSON-LD); the same lineage always gives the same document.")
            .Produces<object>(StatusCodes.Status200OK, JsonLd);

        var group = routes.MapGroup("/api/v1/epcis").WithTags("EPCIS").RequireAuthorization(Policies.AdminOrCooperative);
        group.MapPost("/capture", Capture).WithName("CaptureEpcis")
            .WithSummary("Capture an EPCIS 2.0 document (application/json or application/ld+json): validated against GS1's schema, stored once per event.")
            .Accepts<object>("application/json", JsonLd);
        group.MapGet("/capture/{captureId}", GetCapture).WithName("GetEpcisCapture")
            .WithSummary("What a capture stored.");
        group.MapGet("/events", Query).WithName("QueryEpcisEvents")
            .WithSummary("The simple event query over captured and exported events (eventType, GE_/LT_eventTime, EQ_bizStep, MATCH_epc, perPage, nextPageToken...).")
            .Produces<object>(StatusCodes.Status200OK, JsonLd);
        return group;
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> Export(
        string id, string? direction, int? maxDepth, ClaimsPrincipal user, IGrainFactory grains, LineageReader lineage,
        IAlertJournal alerts, IReadingStore readings, IEpcisEventStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var way = direction switch
        {
            null or "both" => TraceDirection.Both,
            "upstream" => TraceDirection.Upstream,
            "downstream" => TraceDirection.Downstream,
            _ => (TraceDirection?)null,
        };
        if (way is null)
        {
            errors.Add("direction", "must be upstream, downstream or both");
        }

        if (maxDepth is < 1 or > LineageReader.MaxDepth)
        {
            errors.Add("maxDepth", $"must be between 1 and {LineageReader.MaxDepth}");
        }

        if (!errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        var batch = ResourceId.IsValid(id) ? await grains.GetGrain<IBatchGrain>(id).GetAsync() : null;
        if (batch is null)
        {
            return ApiResults.NotFound("batch", id);
        }

        var caller = user.ToCaller();
        if (!caller.CanReadBatch(batch.Spec.OwnerId, batch.Buyers))
        {
            return TypedResults.Forbid();
        }

        // A buyer sees its own shipments, never another buyer's, and no partner's captured events.
        var view = caller.Role == Role.Buyer
            ? new ExportView(caller.BuyerId, IncludeCaptured: false)
            : new ExportView(null, IncludeCaptured: caller.CanManageBatch(batch.Spec.OwnerId));
        var document = await EpcisExporter.ExportAsync(id, way!.Value, maxDepth ?? LineageReader.DefaultDepth, view, grains, lineage,
            alerts, readings, store, time, cancellationToken);
        if (document is null)
        {
            return ApiResults.NotFound("batch", id);
        }

        return TypedResults.File(JsonSerializer.SerializeToUtf8Bytes(document), JsonLd);
    }

    private static async Task<Results<Accepted<CaptureResponse>, ValidationProblem, ProblemHttpResult>> Capture(
        HttpRequest request, ClaimsPrincipal user, IEpcisEventStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var mediaType = request.ContentType?.Split(';')[0].Trim();
        if (!string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(mediaType, JsonLd, StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: $"Capture takes an EPCIS 2.0 JSON document as application/json or {JsonLd}.");
        }

        if (request.ContentLength > CaptureFileSizeLimit)
        {
            return TooLarge($"A captured document may have at most {CaptureFileSizeLimit} bytes.");
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
        }
        catch (JsonException exception)
        {
            return ApiResults.Invalid("body", $"The body is not JSON: {exception.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("epcisBody", out var body) && body.ValueKind == JsonValueKind.Object
                && body.TryGetProperty("eventList", out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > CaptureLimit)
            {
                return TooLarge($"A captured document may hold at most {CaptureLimit} events; this one holds {list.GetArrayLength()}.");
            }

            var verdict = EpcisSchema.Instance.Validate(root);
            if (!verdict.IsValid)
            {
                return TypedResults.ValidationProblem(
                    verdict.Complaints.ToDictionary(c => c.Key, c => c.Value.ToArray(), StringComparer.Ordinal),
                    detail: "The document does not match the EPCIS 2.0 JSON schema: " + string.Join("; ", verdict.Lines.Take(5)),
                    title: "The request is not valid.");
            }

            var now = time.GetUtcNow();
            var content = EpcisCapture.Prepare(root, now);
            if (content.Problem is { } problem)
            {
                return ApiResults.Invalid("body", problem);
            }

            var caller = user.ToCaller();
            var scope = caller.Role == Role.Cooperative ? caller.CooperativeId! : IEpcisEventStore.AdminScope;
            var captureId = $"cap-{Guid.CreateVersion7(now):N}";
            var outcome = await store.CaptureAsync(new EpcisCaptureRequest(captureId, scope, EpcisEventSource.Capture, user.Actor(), now,
                content.EventCount, content.Events), cancellationToken);
            return TypedResults.Accepted($"/api/v1/epcis/capture/{captureId}",
                new CaptureResponse(captureId, content.EventCount, outcome.Stored, outcome.Declared, outcome.Duplicates));
        }
    }

    private static async Task<Results<Ok<CaptureStatusResponse>, ProblemHttpResult>> GetCapture(
        string captureId, ClaimsPrincipal user, IEpcisEventStore store, CancellationToken cancellationToken)
    {
        var caller = user.ToCaller();
        var capture = await store.GetCaptureAsync(caller.IsAdmin ? null : caller.CooperativeId, captureId, cancellationToken);
        return capture is null
            ? ApiResults.NotFound("capture", captureId)
            : TypedResults.Ok(new CaptureStatusResponse(capture.CaptureId, false, true, capture.CapturedAt, capture.EventCount,
                capture.Stored, capture.Declared, capture.Duplicates));
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem>> Query(
        HttpContext context, ClaimsPrincipal user, IEpcisEventStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var caller = user.ToCaller();
        var query = EpcisQueryParameters.Parse(context.Request.Query, caller.IsAdmin ? null : caller.CooperativeId, errors);
        if (!errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        EpcisEventPage page;
        try
        {
            page = await store.QueryAsync(query, cancellationToken);
        }
        catch (ArgumentException) when (query.PageToken is not null)
        {
            return ApiResults.Invalid("nextPageToken", "is not a token this repository issued");
        }

        if (page.NextPageToken is { } next)
        {
            var parameters = context.Request.Query.Where(p => p.Key != "nextPageToken")
                .SelectMany(p => p.Value.Select(v => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(v ?? string.Empty)}"))
                .Append($"nextPageToken={Uri.EscapeDataString(next)}");
            context.Response.Headers.Link = $"</api/v1/epcis/events?{string.Join('&', parameters)}>; rel=\"next\"";
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            EpcisDocuments.WriteQueryDocument(writer, page.Items.Select(e => e.Body), time.GetUtcNow(), page.NextPageToken);
        }

        return TypedResults.File(buffer.WrittenMemory.ToArray(), JsonLd);
    }

    private static ProblemHttpResult TooLarge(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too large", detail: detail);
}

/// <summary>A capture's answer: its id and how many events the document held; also what became of them.</summary>
public sealed record CaptureResponse(string CaptureId, int EventCount, int Stored, int Declared, int Duplicates);

/// <summary>A capture job as EPCIS reports it (captures here finish before the 202, so never running).</summary>
public sealed record CaptureStatusResponse(string CaptureId, bool Running, bool Success, DateTimeOffset CapturedAt, int EventCount,
    int Stored, int Declared, int Duplicates);
