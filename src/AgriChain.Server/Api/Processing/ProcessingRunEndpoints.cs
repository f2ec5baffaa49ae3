using System.Security.Claims;
using AgriChain.Contracts.MasterData;
using AgriChain.Contracts.Processing;
using AgriChain.Contracts.Traceability;
using AgriChain.Domain.Common;
using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.Processing;
using AgriChain.Domain.Traceability;
using AgriChain.Server.Api.Traceability;
using AgriChain.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgriChain.Server.Api.Processing;

public static class ProcessingRunEndpoints
{
    public const int MaxInputs = 100;
    public const int MaxOutputs = 100;
    private const decimal MaxQuantity = 1_000_000_000m;

    public static RouteGroupBuilder MapProcessingRunEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/processing-runs").WithTags("Processing runs");
        group.MapPost("/", StartRun).WithName("StartProcessingRun")
            .WithSummary("Start a run of a process definition, taking its input batches all or nothing (the owning cooperative, admin); 409 with the shortfalls.")
            .RequireAuthorization(Policies.AdminOrCooperative);
        group.MapGet("/{id}", GetRun).WithName("GetProcessingRun")
            .WithSummary("A run with its steps, deviations, hold, outputs and yield ratio (the owning cooperative, admin).");
        group.MapPost("/{id}/steps", RecordStep).WithName("RecordProcessingStep")
            .WithSummary("Record a step in order (409 when a required earlier step is missing or the run is over); answers its deviations.")
            .RequireAuthorization(Policies.AdminOrCooperative);
        group.MapPost("/{id}/complete", CompleteRun).WithName("CompleteProcessingRun")
            .WithSummary("Create the output batches, each made from every input (transform), and measure the yield.")
            .RequireAuthorization(Policies.AdminOrCooperative);
        group.MapPost("/{id}/release", ReleaseRun).WithName("ReleaseProcessingRun")
            .WithSummary("Release the run's outputs from the hold a deviation put on them, with a reason.")
            .RequireAuthorization(Policies.AdminOrCooperative);
        group.MapPost("/{id}/abandon", AbandonRun).WithName("AbandonProcessingRun")
            .WithSummary("Abandon the run: inputs not yet worked go back to their batches; the abandonment goes on their lineage.")
            .RequireAuthorization(Policies.AdminOrCooperative);
        return group;
    }

    private static async Task<Results<Created<RunResponse>, Ok<RunResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> StartRun(
        StartRunRequest request, IGrainFactory grains, ClaimsPrincipal user)
    {
        var errors = new FieldErrors();
        var id = errors.RequireId("id", request.Id);
        var definitionId = errors.RequireId("definitionId", request.DefinitionId);
        var owner = errors.RequireId("ownerId", request.OwnerId);
        var inputs = new List<(string BatchId, decimal Quantity)>();
        if (request.Inputs is not { Count: > 0 and <= MaxInputs })
        {
            errors.Add("inputs", $"must name between 1 and {MaxInputs} batches");
        }
        else
        {
            for (var i = 0; i < request.Inputs.Count; i++)
            {
                var input = request.Inputs[i];
                inputs.Add((errors.RequireId($"inputs[{i}].batchId", input?.BatchId),
                    errors.RequirePositive($"inputs[{i}].quantity", input?.Quantity, MaxQuantity)));
            }

            if (inputs.Select(i => i.BatchId).Distinct(StringComparer.Ordinal).Count() != inputs.Count)
            {
                errors.Add("inputs", "must name each batch once");
            }
        }

        if (!errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        if (!user.ToCaller().CanManageBatch(owner))
        {
            return TypedResults.Forbid();
        }

        var definitionTask = grains.GetGrain<IProcessDefinitionGrain>(definitionId).GetAsync(null);
        var ownerTask = grains.GetGrain<ICooperativeGrain>(owner).GetAsync();
        var views = await Task.WhenAll(inputs.Select(i => grains.GetGrain<IBatchGrain>(i.BatchId).GetAsync()));
        var definition = await definitionTask;
        if (definition is null)
        {
            errors.Add("definitionId", $"Process definition '{definitionId}' does not exist.");
        }

        if (await ownerTask is null)
        {
            errors.Add("ownerId", $"Cooperative '{owner}' does not exist.");
        }

        for (var i = 0; i < views.Length; i++)
        {
            var field = $"inputs[{i}].batchId";
            if (views[i] is not { } batch)
            {
                errors.Add(field, $"Batch '{inputs[i].BatchId}' does not exist.");
            }
            else if (batch.Spec.OwnerId != owner)
            {
                errors.Add(field, $"Batch '{batch.Id}' is not a batch of cooperative '{owner}'.");
            }
            else if (ProcessRules.ToKg(1, batch.Spec.Unit) is null)
            {
                errors.Add(field, $"Batch '{batch.Id}' is counted in {batch.Spec.Unit}; a run takes batches counted by mass (kg or t).");
            }
            else if (definition?.InputProduct is { } product && batch.Spec.Product != product)
            {
                errors.Add(field, $"Batch '{batch.Id}' holds {batch.Spec.Product}; '{definition.Id}' is made from {product}.");
            }
        }

        if (!errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        var start = new RunStart(definition!, owner,
            inputs.Select((input, i) => new RunInput(input.BatchId, input.Quantity, views[i]!.Spec.Unit)).ToList(), user.Actor());
        var result = await grains.GetGrain<IProcessingRunGrain>(id).StartAsync(start);
        return result.Outcome switch
        {
            RunOutcome.Done => TypedResults.Created($"/api/v1/processing-runs/{id}", RunResponse.From(result.Run!)),
            RunOutcome.Unchanged => TypedResults.Ok(RunResponse.From(result.Run!)),
            _ => Refused(result, id),
        };
    }

    private static async Task<Results<Ok<RunResponse>, ProblemHttpResult, ForbidHttpResult>> GetRun(
        string id, IGrainFactory grains, ClaimsPrincipal user)
    {
        var access = await ReadAsync(id, grains, user);
        if (access.Problem is { } problem)
        {
            return problem;
        }

        return access.Forbidden ? TypedResults.Forbid() : TypedResults.Ok(RunResponse.From(access.Run!));
    }

    private static async Task<Results<Ok<StepResultResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> RecordStep(
        string id, RecordStepRequest request, IGrainFactory grains, ClaimsPrincipal user, TimeProvider time)
    {
        var errors = new FieldErrors();
        if (request.Step is null)
        {
            errors.Add("step", "is required");
        }
        else if (!ProcessRules.IsStepName(request.Step))
        {
            errors.Add("step", "must be a step name in kebab-case, such as main-fermentation");
        }

        var startedAt = ReadingRules.ParseTime("startedAt", request.StartedAt, errors);
        var endedAt = ReadingRules.ParseTime("endedAt", request.EndedAt, errors);
        var latest = time.GetUtcNow() + ReadingRules.FutureTolerance;
        foreach (var (field, at) in new[] { ("startedAt", startedAt), ("endedAt", endedAt) })
        {
            if (at > latest)
            {
                errors.Add(field, "must not be in the future");
            }
        }

        if (endedAt < startedAt)
        {
            errors.Add("endedAt", "must not be before startedAt");
        }

        var values = new List<ParameterValue>();
        foreach (var (name, value) in request.Parameters ?? new Dictionary<string, decimal?>())
        {
            if (value is null)
            {
                errors.Add($"parameters.{name}", "must be a number");
                continue;
            }

            values.Add(new ParameterValue(name, value.Value));
        }

        if (!errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        var access = await ReadAsync(id, grains, user);
        if (access.Problem is { } problem)
        {
            return problem;
        }

        if (access.Forbidden)
        {
            return TypedResults.Forbid();
        }

        var result = await grains.GetGrain<IProcessingRunGrain>(id).RecordStepAsync(
            new StepEntry(request.Step!, startedAt!.Value.ToUniversalTime(), endedAt!.Value.ToUniversalTime(), values, user.Actor()));
        return result.Outcome switch
        {
            RunOutcome.Done or RunOutcome.Unchanged => TypedResults.Ok(new StepResultResponse(id, result.Step!.Step,
                result.Step.Deviations.Select(DeviationResponse.From).ToList(), result.Run!.OnHold, RecordedStepResponse.From(result.Step))),
            RunOutcome.Invalid => Invalid(result),
            _ => Refused(result, id),
        };
    }

    private static async Task<Results<Ok<RunResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> CompleteRun(
        string id, CompleteRunRequest request, IGrainFactory grains, ClaimsPrincipal user)
    {
        var errors = new FieldErrors();
        var outputs = new List<RunOutput>();
        if (request.Outputs is not { Count: > 0 and <= MaxOutputs })
        {
            errors.Add("outputs", $"must name between 1 and {MaxOutputs} output batches");
        }
        else
        {
            for (var i = 0; i < request.Outputs.Count; i++)
            {
                var output = request.Outputs[i];
                var field = $"outputs[{i}]";
                var batchId = errors.RequireId($"{field}.batchId", output?.BatchId);
                var product = errors.RequireId($"{field}.product", output?.Product);
                var quantity = errors.RequirePositive($"{field}.quantity", output?.Quantity, MaxQuantity);
                var unit = output?.Unit;
                if (unit is null)
                {
                    errors.Add($"{field}.unit", "is required");
                }
                else if (!BatchUnits.All.Contains(unit))
                {
                    errors.Add($"{field}.unit", $"must be one of {string.Join(", ", BatchUnits.All.Order(StringComparer.Ordinal))}");
                }

                if (output?.Grade is { } grade && !BatchUnits.Grades.Contains(grade))
                {
                    errors.Add($"{field}.grade", $"must be one of {string.Join(", ", BatchUnits.Grades)}");
                }

                outputs.Add(new RunOutput(batchId, product, quantity, unit ?? string.Empty, output?.Grade));
            }

            if (outputs.Select(o => o.BatchId).Distinct(StringComparer.Ordinal).Count() != outputs.Count)
            {
                errors.Add("outputs", "must name each output batch once");
            }
        }

        if (!errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        var access = await ReadAsync(id, grains, user);
        if (access.Problem is { } problem)
        {
            return problem;
        }

        if (access.Forbidden)
        {
            return TypedResults.Forbid();
        }

        var result = await grains.GetGrain<IProcessingRunGrain>(id).CompleteAsync(outputs, user.Actor());
        return Answer(result, id);
    }

    private static Task<Results<Ok<RunResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> ReleaseRun(
        string id, ReasonRequest request, IGrainFactory grains, ClaimsPrincipal user) =>
        WithReasonAsync(id, request, grains, user, (run, reason) => run.ReleaseAsync(reason, user.Actor()));

    private static Task<Results<Ok<RunResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> AbandonRun(
        string id, ReasonRequest request, IGrainFactory grains, ClaimsPrincipal user) =>
        WithReasonAsync(id, request, grains, user, (run, reason) => run.AbandonAsync(reason, user.Actor()));

    private static async Task<Results<Ok<RunResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> WithReasonAsync(
        string id, ReasonRequest request, IGrainFactory grains, ClaimsPrincipal user, Func<IProcessingRunGrain, string, Task<RunResult>> act)
    {
        var errors = new FieldErrors();
        var reason = errors.RequireText("reason", request.Reason, 1000);
        if (!errors.IsEmpty)
        {
            return ApiResults.Invalid(errors);
        }

        var access = await ReadAsync(id, grains, user);
        if (access.Problem is { } problem)
        {
            return problem;
        }

        if (access.Forbidden)
        {
            return TypedResults.Forbid();
        }

        return Answer(await act(grains.GetGrain<IProcessingRunGrain>(id), reason), id);
    }

    private static Results<Ok<RunResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult> Answer(RunResult result, string id) =>
        result.Outcome switch
        {
            RunOutcome.Done or RunOutcome.Unchanged => TypedResults.Ok(RunResponse.From(result.Run!)),
            RunOutcome.Invalid => Invalid(result),
            _ => Refused(result, id),
        };

    private static ValidationProblem Invalid(RunResult result)
    {
        var errors = new FieldErrors();
        foreach (var error in result.Errors ?? [])
        {
            errors.Add(error.Field, error.Message);
        }

        return ApiResults.Invalid(errors);
    }

    /// <summary>404 for an unknown run; 409 with the detail, and the missing steps or the shortfalls when there are any.</summary>
    private static ProblemHttpResult Refused(RunResult result, string id)
    {
        if (result.Outcome == RunOutcome.NotFound)
        {
            return ApiResults.NotFound("processing run", id);
        }

        var extensions = new Dictionary<string, object?>();
        if (result.MissingSteps is { Count: > 0 } missing)
        {
            extensions["missingSteps"] = missing;
        }

        if (result.Outcome == RunOutcome.Shortfall)
        {
            extensions["shortfalls"] = (result.Shortfalls ?? [])
                .Select(s => new ShortfallResponse(s.BatchId, s.Requested, s.Available, s.Reason)).ToList();
        }

        return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: result.Detail,
            extensions: extensions);
    }

    /// <summary>The run if the caller may see and act on it: admins and the owning cooperative.</summary>
    private static async Task<RunAccess> ReadAsync(string id, IGrainFactory grains, ClaimsPrincipal user)
    {
        var run = ResourceId.IsValid(id) ? await grains.GetGrain<IProcessingRunGrain>(id).GetAsync() : null;
        if (run is null)
        {
            return new(null, ApiResults.NotFound("processing run", id), false);
        }

        return new(run, null, !user.ToCaller().CanManageBatch(run.OwnerId));
    }

    private sealed record RunAccess(RunView? Run, ProblemHttpResult? Problem, bool Forbidden);
}
