using System.Collections.Concurrent;
using System.Security.Claims;
using AgriChain.Contracts.Greenhouses;
using AgriChain.Contracts.Market;
using AgriChain.Contracts.MasterData;
using AgriChain.Contracts.Traceability;
using AgriChain.Domain.Access;
using AgriChain.Domain.Common;
using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.Traceability;
using AgriChain.Server.Api.MasterData;
using AgriChain.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgriChain.Server.Api.Traceability;

public static class BatchEndpoints
{
    public static RouteGroupBuilder MapBatchEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/batches").WithTags("Batches");
        group.MapPost("/", CreateBatch).WithName("CreateBatch")
            .WithSummary("Create a batch (the owning cooperative, admin); the same body again answers 200.")
            .RequireAuthorization(Policies.AdminOrCooperative);
        group.MapGet("/{id}", GetBatch).WithName("GetBatch")
            .WithSummary("A batch with its parents, children and events (owner, buyers it reached, admin).");
        group.MapPost("/{id}/split", Split).WithName("SplitBatch")
            .WithSummary("Split parts off a batch; all or nothing, once per set of part ids.").RequireAuthorization(Policies.AdminOrCooperative);
        group.MapPost("/merge", Merge).WithName("MergeBatches")
            .WithSummary("Merge quantities of several batches into a new one; all or nothing.").RequireAuthorization(Policies.AdminOrCooperative);
        group.MapPost("/{id}/events", RecordEvent).WithName("RecordBatchEvent")
            .WithSummary("Record inspected, stored, shipped, received or sold; a shipment takes its quantity out of the batch.")
            .RequireAuthorization(Policies.AdminOrCooperative);
        group.MapGet("/{id}/trace", Trace).WithName("TraceBatch")
            .WithSummary("The lineage graph upstream, downstream or both, with origins, condition flags and shipments.");
        group.MapPost("/{id}/recall", Recall).WithName("RecallBatch")
            .WithSummary("Recall the batch and everything made from it; answers the impact. Idempotent.")
            .RequireAuthorization(Policies.AdminOrCooperative);
        return group;
    }

    private static async Task<Results<Created<BatchResponse>, Ok<BatchResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> CreateBatch(
        BatchRequest request, IGrainFactory grains, ClaimsPrincipal user, TimeProvider time)
    {
        var errors = new FieldErrors();
        var id = errors.RequireId("id", request.Id);
        var product = errors.RequireId("product", request.Product);
        var quantity = BatchRules.Quantity(errors, "quantity", request.Quantity);
        var unit = BatchRules.Unit(errors, request.Unit);
        var grade = BatchRules.Grade(errors, request.Grade);
        var owner = errors.RequireId("ownerId", request.OwnerId);
        BatchOrigin? origin = null;
        if (request.Origin is { } o)
        {
            var farmId = errors.RequireId("origin.farmId", o.FarmId);
            var greenhouseId = errors.OptionalId("origin.greenhouseId", o.GreenhouseId);
            var harvestedAt = ReadingRules.ParseTime("origin.harvestedAt", o.HarvestedAt, errors);
            if (harvestedAt > time.GetUtcNow() + ReadingRules.FutureTolerance)
            {
                errors.Add("origin.harvestedAt", "must not be in the future");
            }

            var plot = errors.OptionalText("origin.plot", o.Plot, 100);
            origin = harvestedAt is { } at ? new BatchOrigin(farmId, greenhouseId, at.ToUniversalTime(), plot) : null;
        }

        if (!errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        if (!user.ToCaller().CanManageBatch(owner))
        {
            return TypedResults.Forbid();
        }

        await CheckOwnershipAsync(grains, owner, origin, errors);
        if (!errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        var result = await grains.GetGrain<IBatchGrain>(id).CreateAsync(new BatchSpec(product, quantity, unit, grade, owner, origin), user.Actor());
        return ApiResults.Upsert(result, BatchResponse.From, $"/api/v1/batches/{id}");
    }

    /// <summary>The owner must exist, and the origin must be one of its farms (and a greenhouse on that farm).</summary>
    internal static async Task CheckOwnershipAsync(IGrainFactory grains, string owner, BatchOrigin? origin, FieldErrors errors)
    {
        if (await grains.GetGrain<ICooperativeGrain>(owner).GetAsync() is null)
        {
            errors.Add("ownerId", $"Cooperative '{owner}' does not exist.");
            return;
        }

        if (origin is null)
        {
            return;
        }

        var farm = await grains.GetGrain<IFarmGrain>(origin.FarmId).GetAsync();
        if (farm is null || farm.Profile.CooperativeId != owner)
        {
            errors.Add("origin.farmId", $"Farm '{origin.FarmId}' is not a farm of cooperative '{owner}'.");
        }
        else if (origin.GreenhouseId is { } gh && !farm.GreenhouseIds.Contains(gh))
        {
            errors.Add("origin.greenhouseId", $"Greenhouse '{gh}' is not on farm '{origin.FarmId}'.");
        }
    }

    private static async Task<Results<Ok<BatchResponse>, ProblemHttpResult, ForbidHttpResult>> GetBatch(
        string id, IGrainFactory grains, ClaimsPrincipal user)
    {
        var access = await ReadAsync(id, grains, user);
        if (access.NotFound is { } notFound)
        {
            return notFound;
        }

        return access.Forbidden ? TypedResults.Forbid() : TypedResults.Ok(BatchResponse.From(access.Batch!));
    }

    private static async Task<Results<Ok<SplitResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> Split(
        string id, SplitRequest request, IGrainFactory grains, ClaimsPrincipal user)
    {
        var errors = new FieldErrors();
        var parts = new List<(string Id, decimal Quantity)>();
        if (request.Parts is not { Count: > 0 })
        {
            errors.Add("parts", "must name at least one part");
        }
        else
        {
            for (var i = 0; i < request.Parts.Count; i++)
            {
                var part = request.Parts[i];
                parts.Add((errors.RequireId($"parts[{i}].id", part?.Id), BatchRules.Quantity(errors, $"parts[{i}].quantity", part?.Quantity)));
            }

            if (parts.Select(p => p.Id).Distinct(StringComparer.Ordinal).Count() != parts.Count || parts.Any(p => p.Id == id))
            {
                errors.Add("parts", "part ids must be distinct and differ from the batch's id");
            }
        }

        if (!errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        var access = await ReadAsync(id, grains, user, manage: true);
        if (access.NotFound is { } notFound)
        {
            return notFound;
        }

        if (access.Forbidden)
        {
            return TypedResults.Forbid();
        }

        var source = access.Batch!;
        var operationId = BatchRules.OperationId("split", [id, .. parts.Select(p => $"{p.Id}:{p.Quantity}")]);
        var plan = new OperationPlan(EdgeKind.Split, [new OperationInput(id, parts.Sum(p => p.Quantity))],
            parts.Select(p => new OperationOutput(p.Id, source.Spec with { Quantity = p.Quantity, Origin = source.Spec.Origin })).ToList(),
            user.Actor());
        var result = await grains.GetGrain<IBatchOperationGrain>(operationId).RunAsync(plan);
        if (result.Status != OperationStatus.Completed)
        {
            return Refused(result);
        }

        var views = await Task.WhenAll(parts.Select(p => grains.GetGrain<IBatchGrain>(p.Id).GetAsync()));
        var after = await grains.GetGrain<IBatchGrain>(id).GetAsync();
        return TypedResults.Ok(new SplitResponse(operationId, BatchResponse.From(after!), views.Select(v => BatchResponse.From(v!)).ToList()));
    }

    private static async Task<Results<Created<BatchResponse>, Ok<BatchResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> Merge(
        MergeRequest request, IGrainFactory grains, ClaimsPrincipal user)
    {
        var errors = new FieldErrors();
        var id = errors.RequireId("id", request.Id);
        var inputs = new List<(string BatchId, decimal Quantity)>();
        if (request.Inputs is not { Count: >= 2 })
        {
            errors.Add("inputs", "must name at least two batches");
        }
        else
        {
            for (var i = 0; i < request.Inputs.Count; i++)
            {
                var input = request.Inputs[i];
                inputs.Add((errors.RequireId($"inputs[{i}].batchId", input?.BatchId), BatchRules.Quantity(errors, $"inputs[{i}].quantity", input?.Quantity)));
            }

            if (inputs.Select(p => p.BatchId).Distinct(StringComparer.Ordinal).Count() != inputs.Count)
            {
                errors.Add("inputs", "must name each batch once");
            }
        }

        if (!errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        var views = await Task.WhenAll(inputs.Select(i => grains.GetGrain<IBatchGrain>(i.BatchId).GetAsync()));
        for (var i = 0; i < views.Length; i++)
        {
            if (views[i] is null)
            {
                errors.Add($"inputs[{i}].batchId", $"Batch '{inputs[i].BatchId}' does not exist.");
            }
        }

        if (!errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        var caller = user.ToCaller();
        if (views.Any(v => !caller.CanManageBatch(v!.Spec.OwnerId)))
        {
            return TypedResults.Forbid();
        }

        var first = views[0]!.Spec;
        if (views.Any(v => v!.Spec.OwnerId != first.OwnerId || v.Spec.Product != first.Product || v.Spec.Unit != first.Unit))
        {
            return ApiResults.Invalid("inputs", "batches merged together must have the same owner, product and unit");
        }

        var spec = new BatchSpec(first.Product, inputs.Sum(i => i.Quantity), first.Unit,
            views.Select(v => v!.Spec.Grade).Aggregate(first.Grade, BatchRules.Worse), first.OwnerId, null);
        var plan = new OperationPlan(EdgeKind.Merge, inputs.Select(i => new OperationInput(i.BatchId, i.Quantity)).ToList(),
            [new OperationOutput(id, spec)], user.Actor());
        var result = await grains.GetGrain<IBatchOperationGrain>(BatchRules.OperationId("merge", id)).RunAsync(plan);
        if (result.Status != OperationStatus.Completed)
        {
            return Refused(result);
        }

        var merged = await grains.GetGrain<IBatchGrain>(id).GetAsync();
        return TypedResults.Created($"/api/v1/batches/{id}", BatchResponse.From(merged!));
    }

    private static async Task<Results<Created<BatchResponse>, Ok<BatchResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> RecordEvent(
        string id, BatchEventRequest request, IGrainFactory grains, ClaimsPrincipal user, TimeProvider time)
    {
        var errors = new FieldErrors();
        var eventId = errors.RequireId("id", request.Id);
        var type = BatchEventType.Inspected;
        if (request.Type is null)
        {
            errors.Add("type", "is required");
        }
        else if (!WireNames.TryParse(request.Type, out type) || !BatchEventTypes.ByHand.Contains(type))
        {
            // Deviations, abandonments, holds and releases are written by the processes they describe, never by hand.
            errors.Add("type", $"must be one of {string.Join(", ", BatchEventTypes.ByHand.Order().Select(WireNames.Of))}");
        }

        var at = ReadingRules.ParseTime("at", request.At, errors);
        if (at > time.GetUtcNow() + ReadingRules.FutureTolerance)
        {
            errors.Add("at", "must not be in the future");
        }

        if (type == BatchEventType.Shipped)
        {
            errors.RequireId("buyerId", request.BuyerId);
            BatchRules.Quantity(errors, "quantity", request.Quantity);
        }
        else if (request.Quantity is <= 0)
        {
            errors.Add("quantity", "must be greater than 0");
        }

        if (type == BatchEventType.Inspected && request.Result is not ("passed" or "failed"))
        {
            errors.Add("result", "an inspection's result must be passed or failed");
        }

        var location = errors.OptionalText("location", request.Location, 200);
        var note = errors.OptionalText("note", request.Note, 1000);
        if (type == BatchEventType.Shipped && errors.IsEmpty && await grains.GetGrain<IBuyerGrain>(request.BuyerId!).GetAsync() is null)
        {
            errors.Add("buyerId", $"Buyer '{request.BuyerId}' does not exist.");
        }

        if (!errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        var access = await ReadAsync(id, grains, user, manage: true);
        if (access.NotFound is { } notFound)
        {
            return notFound;
        }

        if (access.Forbidden)
        {
            return TypedResults.Forbid();
        }

        var batchEvent = new BatchEvent(eventId, type, at!.Value.ToUniversalTime(), request.Result,
            type == BatchEventType.Shipped ? request.BuyerId : null, request.Quantity, location, note, user.Actor());
        var result = await grains.GetGrain<IBatchGrain>(id).RecordEventAsync(batchEvent);
        return result.Outcome switch
        {
            EventOutcome.Recorded => TypedResults.Created($"/api/v1/batches/{id}", BatchResponse.From(result.Batch!)),
            EventOutcome.AlreadyRecorded => TypedResults.Ok(BatchResponse.From(result.Batch!)),
            EventOutcome.Shortfall => ApiResults.Conflict($"Only {result.Available} {result.Batch!.Spec.Unit} of batch '{id}' are free.", "quantity"),
            EventOutcome.Blocked => ApiResults.Conflict($"Batch '{id}' is {WireNames.Of(result.Batch!.Status)}: nothing can leave it."),
            EventOutcome.NotFound => ApiResults.NotFound("batch", id),
            _ => ApiResults.Conflict($"Event '{eventId}' was already recorded with other content, or the batch has no room for more events.", "id"),
        };
    }

    private static async Task<Results<Ok<TraceResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> Trace(
        string id, string? direction, int? maxDepth, IGrainFactory grains, LineageReader lineage,
        AgriChain.Contracts.Epcis.IEpcisEventStore epcis, ClaimsPrincipal user, CancellationToken cancellationToken)
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

        var access = await ReadAsync(id, grains, user);
        if (access.NotFound is { } notFound)
        {
            return notFound;
        }

        if (access.Forbidden)
        {
            return TypedResults.Forbid();
        }

        var graph = await lineage.TraceAsync(id, way!.Value, maxDepth ?? LineageReader.DefaultDepth, cancellationToken);
        if (graph is null)
        {
            return ApiResults.NotFound("batch", id);
        }

        // A buyer sees its own shipments, never another buyer's.
        var caller = user.ToCaller();
        var shipments = graph.Shipments.Where(s => caller.Role != Role.Buyer || s.BuyerId == caller.BuyerId)
            .Select(s => new TraceShipmentResponse(s.BatchId, s.BuyerId, s.Quantity, s.At)).ToList();
        var root = graph.Nodes.Single(n => n.Batch.Id == id);
        return TypedResults.Ok(new TraceResponse(graph.Root,
            graph.Nodes.Select(n => new TraceNodeResponse(n.Batch.Id, n.Batch.Spec.Product, n.Batch.Quantity, n.Batch.Spec.Unit,
                WireNames.Of(n.Batch.Status), n.Depth, n.ColdEvent, n.ConditionsUnverified)).ToList(),
            graph.Edges.Select(e => new TraceEdgeResponse(e.From, e.To, e.Quantity, WireNames.Of(e.Kind))).ToList(),
            graph.Origins.Select(o => new TraceOriginResponse(o.BatchId, o.FarmId, o.GreenhouseId, o.HarvestedAt,
                ColdExposureDto.From(o.ColdExposure), o.ColdEvent, o.ConditionsUnverified)).ToList(),
            shipments, root.ColdEvent, root.ConditionsUnverified, graph.Truncated,
            await PartnerEventsAsync(epcis, caller, access.Batch!.Spec.OwnerId, graph, cancellationToken)));
    }

    private static async Task<Results<Ok<RecallImpactResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> Recall(
        string id, RecallRequest request, IGrainFactory grains, ClaimsPrincipal user)
    {
        var errors = new FieldErrors();
        var reason = errors.RequireText("reason", request.Reason, 1000);
        if (!errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        var access = await ReadAsync(id, grains, user, manage: true);
        if (access.NotFound is { } notFound)
        {
            return notFound;
        }

        if (access.Forbidden)
        {
            return TypedResults.Forbid();
        }

        // Breadth-first over everything made from the batch; each batch marks itself once, so repeating the recall
        // (or finishing one a crash interrupted) reaches the same batches and answers the same impact.
        var recallId = BatchRules.OperationId("recall", id);
        var reached = new ConcurrentDictionary<string, BatchView>(StringComparer.Ordinal);
        var offers = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var offerBuyers = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var frontier = new List<string> { id };
        while (frontier.Count > 0 && reached.Count < LineageReader.MaxNodes)
        {
            var next = new ConcurrentBag<string>();
            await Parallel.ForEachAsync(frontier, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (batchId, _) =>
            {
                var step = await grains.GetGrain<IBatchGrain>(batchId).RecallAsync(recallId, reason, user.Actor());
                foreach (var offer in step.Offers ?? [])
                {
                    offers.TryAdd(offer, 0);
                }

                foreach (var buyer in step.OfferBuyers ?? [])
                {
                    offerBuyers.TryAdd(buyer, 0);
                }

                if (step.Found && reached.TryAdd(batchId, step.Batch!))
                {
                    foreach (var child in step.Children)
                    {
                        next.Add(child);
                    }
                }
            });
            frontier = next.Distinct(StringComparer.Ordinal).Where(c => !reached.ContainsKey(c)).ToList();
        }

        // Offers selling recalled kilograms leave the market: whatever buyers were allocated is taken back (they get
        // the offer's withdrawal notice) and the supply no longer shows them. Repeating the recall repeats this, so
        // an interrupted recall finishes.
        var withdrawn = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(offers.Keys, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (offerId, _) =>
        {
            if (await grains.GetGrain<IOfferGrain>(offerId).WithdrawAsync($"recall {recallId}") is not null)
            {
                withdrawn.Add(offerId);
            }
        });

        // What is out in the world: what the recalled batches still hold plus what left them for buyers.
        var quantities = reached.Values
            .GroupBy(b => b.Spec.Unit)
            .ToDictionary(g => g.Key, g => g.Sum(b => b.Quantity + b.Events.Where(e => e.Type == BatchEventType.Shipped).Sum(e => e.Quantity ?? 0)));
        var buyers = reached.Values.SelectMany(b => b.Events.Where(e => e.Type == BatchEventType.Shipped).Select(e => e.BuyerId!))
            .Concat(offerBuyers.Keys)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new RecallImpactResponse(reached.Keys.Order(StringComparer.Ordinal).ToList(), buyers, quantities,
            withdrawn.Order(StringComparer.Ordinal).ToList()));
    }

    /// <summary>
    /// Partners' EPCIS events that the owner captured and that name a batch of the graph; buyers never see them.
    /// </summary>
    private static async Task<IReadOnlyList<PartnerEventResponse>> PartnerEventsAsync(AgriChain.Contracts.Epcis.IEpcisEventStore epcis,
        Caller caller, string ownerId, TraceGraph graph, CancellationToken cancellationToken)
    {
        if (caller.Role == Role.Buyer)
        {
            return [];
        }

        var stored = await epcis.ListCapturedForBatchesAsync(ownerId, graph.Nodes.Select(n => n.Batch.Id).ToArray(), 200, cancellationToken);
        return stored.Select(e =>
        {
            var body = System.Text.Json.Nodes.JsonNode.Parse(e.Body);
            return new PartnerEventResponse(e.EventId, e.EventTime, (string?)body?["type"], (string?)body?["bizStep"],
                (string?)body?["disposition"], (string?)body?["bizLocation"]?["id"]);
        }).ToList();
    }

    private static ProblemHttpResult Refused(OperationResult result)
    {
        var detail = result.Status == OperationStatus.Conflict
            ? "This operation was already requested with other quantities."
            : "The operation could not take what it needs; nothing changed.";
        return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail,
            extensions: new Dictionary<string, object?>
            {
                ["shortfalls"] = result.Shortfalls.Select(s => new ShortfallResponse(s.BatchId, s.Requested, s.Available, s.Reason)).ToList(),
            });
    }

    /// <summary>The batch if the caller may read it (or, with <paramref name="manage"/>, change it).</summary>
    private static async Task<BatchAccess> ReadAsync(string id, IGrainFactory grains, ClaimsPrincipal user, bool manage = false)
    {
        var batch = ResourceId.IsValid(id) ? await grains.GetGrain<IBatchGrain>(id).GetAsync() : null;
        if (batch is null)
        {
            return new(null, ApiResults.NotFound("batch", id), false);
        }

        var caller = user.ToCaller();
        var allowed = manage ? caller.CanManageBatch(batch.Spec.OwnerId) : caller.CanReadBatch(batch.Spec.OwnerId, batch.Buyers);
        return new(batch, null, !allowed);
    }

    private sealed record BatchAccess(BatchView? Batch, ProblemHttpResult? NotFound, bool Forbidden);
}
