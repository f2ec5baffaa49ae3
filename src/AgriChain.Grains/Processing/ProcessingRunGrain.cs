using System.Globalization;
using AgriChain.Contracts.Processing;
using AgriChain.Contracts.Traceability;
using AgriChain.Domain.Common;
using AgriChain.Domain.Processing;
using AgriChain.Domain.Traceability;
using Microsoft.Extensions.Logging;

namespace AgriChain.Grains.Processing;

/// <summary>
/// A processing run. Its inputs go through one batch operation (<see cref="IBatchOperationGrain"/>, id from
/// <see cref="ProcessingOperations.OperationId"/>) whose outputs come later: starting runs it (inputs consumed, all
/// or nothing), completing names its outputs (created as <c>transform</c> children of every input), abandoning
/// cancels it (giving back inputs not yet worked). Each of these persists the run's intent first and is resumed by
/// a reminder after a crash; the step rules, deviations and yield are the Domain's
/// (<see cref="ProcessRules"/>). Lineage events (deviations, abandonment) carry ids derived from the run and the
/// step, so writing them again changes nothing.
/// </summary>
[GrainType("processing-run")]
public sealed partial class ProcessingRunGrain(
    [PersistentState("processing-run")] IPersistentState<ProcessingRunState> state,
    TimeProvider time,
    ILogger<ProcessingRunGrain> logger) : Grain, IProcessingRunGrain, IRemindable
{
    private const string DriveReminder = "drive";

    private ProcessingRunState S => state.State;

    private string Id => this.GetPrimaryKeyString();

    public async Task<RunResult> StartAsync(RunStart start)
    {
        await ResolvePendingAsync();
        if (S.Start is { } existing)
        {
            if (!existing.SameRequest(start))
            {
                return Refused(RunOutcome.Conflict, $"Run '{Id}' already exists with another definition, owner or inputs.");
            }

            return S.Status == RunStatus.Starting
                ? Refused(RunOutcome.Conflict, $"Run '{Id}' is still taking its inputs; ask again shortly.")
                : new RunResult(RunOutcome.Unchanged, View());
        }

        // A refused start left nothing behind but its attempt number: this one runs under a new operation id.
        S.Attempt++;
        S.Start = Plain(start);
        S.Status = RunStatus.Starting;
        S.StartedAt = time.GetUtcNow();
        S.Shortfalls = [];
        await state.WriteStateAsync();
        await this.RegisterOrUpdateReminder(DriveReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

        await ResolveStartAsync();
        if (S.Start is null)
        {
            return new RunResult(RunOutcome.Shortfall, null, Detail: "The run could not take its inputs; nothing changed.",
                Shortfalls: [.. S.Shortfalls]);
        }

        if (S.Status == RunStatus.Starting)
        {
            return Refused(RunOutcome.Conflict, $"Run '{Id}' is still taking its inputs; ask again shortly.");
        }

        LogStarted(logger, Id, start.Definition.Id, start.Definition.Version);
        return new RunResult(RunOutcome.Done, View());
    }

    public async Task<RunResult> RecordStepAsync(StepEntry entry)
    {
        await ResolvePendingAsync();
        if (!Exists)
        {
            return new RunResult(RunOutcome.NotFound, null);
        }

        var definition = S.Start!.Definition;
        if (definition.Step(entry.Step) is not { } step)
        {
            return Invalid("step", $"is not a step of '{definition.Id}' version {definition.Version}; its steps are {string.Join(", ", definition.Steps.Select(s => s.Name))}");
        }

        var errors = new FieldErrors();
        var values = ProcessRules.ValidateParameters(step, entry.Parameters, errors);
        if (!errors.IsEmpty)
        {
            return new RunResult(RunOutcome.Invalid, View(), Errors: Flatten(errors));
        }

        if (S.Steps.FirstOrDefault(s => s.Step == entry.Step) is { } recorded)
        {
            if (!recorded.SameAs(entry.Step, entry.StartedAt, entry.EndedAt, values))
            {
                return Refused(RunOutcome.Conflict, $"Step '{entry.Step}' was already recorded with other times or values.");
            }

            await RecordDeviationEventsAsync(recorded);
            return new RunResult(RunOutcome.Unchanged, View(), recorded);
        }

        if (S.Status != RunStatus.InProgress)
        {
            return Refused(RunOutcome.Conflict, $"Run '{Id}' is {WireName(S.Status)}: no more steps can be recorded.");
        }

        var order = ProcessRules.CheckOrder(definition, S.Steps.Select(s => s.Step), entry.Step);
        if (order.MissingRequired.Count > 0)
        {
            return Refused(RunOutcome.Conflict,
                $"Step '{entry.Step}' cannot be recorded before the required steps {string.Join(", ", order.MissingRequired)}.",
                order.MissingRequired);
        }

        if (order.RecordedAfter is { } later)
        {
            return Refused(RunOutcome.Conflict, $"Step '{entry.Step}' comes before '{later}', which is already recorded: steps go in order.");
        }

        var now = time.GetUtcNow();
        var deviations = ProcessRules.FindDeviations(step, values);
        recorded = new RecordedStep(entry.Step, entry.StartedAt, entry.EndedAt, values, deviations, now, entry.RecordedBy);
        S.Steps.Add(recorded);
        if (deviations.Count > 0 && !S.Holds.Any(h => h.IsActive))
        {
            S.Holds.Add(new RunHold($"{ProcessingOperations.Prefix}{Id}:hold-{S.Holds.Count + 1}", now,
                $"Processing run '{Id}' deviated: {string.Join("; ", deviations.Select(d => d.Describe()))}"));
        }

        await state.WriteStateAsync();
        if (deviations.Count > 0)
        {
            LogDeviation(logger, Id, entry.Step, deviations.Count);
        }

        await RecordDeviationEventsAsync(recorded);
        return new RunResult(RunOutcome.Done, View(), recorded);
    }

    public async Task<RunResult> ReleaseAsync(string reason, string releasedBy)
    {
        await ResolvePendingAsync();
        if (!Exists)
        {
            return new RunResult(RunOutcome.NotFound, null);
        }

        var index = S.Holds.FindLastIndex(h => h.IsActive);
        if (index < 0)
        {
            if (S.Holds.LastOrDefault() is { ReleaseReason: { } last } && last == reason)
            {
                await ReleaseOutputsAsync();
                return new RunResult(RunOutcome.Unchanged, View());
            }

            return Refused(RunOutcome.Conflict, $"The outputs of run '{Id}' are not on hold.");
        }

        S.Holds[index] = S.Holds[index] with { ReleasedAt = time.GetUtcNow(), ReleasedBy = releasedBy, ReleaseReason = reason };
        await state.WriteStateAsync();
        await ReleaseOutputsAsync();
        return new RunResult(RunOutcome.Done, View());
    }

    public async Task<RunResult> CompleteAsync(IReadOnlyList<RunOutput> outputs, string completedBy)
    {
        await ResolvePendingAsync();
        if (!Exists)
        {
            return new RunResult(RunOutcome.NotFound, null);
        }

        switch (S.Status)
        {
            case RunStatus.Completed:
                if (!S.Outputs.SequenceEqual(outputs))
                {
                    return Refused(RunOutcome.Conflict, $"Run '{Id}' is already complete with other outputs.");
                }

                await ReleaseOutputsAsync();
                return new RunResult(RunOutcome.Unchanged, View());
            case RunStatus.InProgress:
                break;
            default:
                return Refused(RunOutcome.Conflict, $"Run '{Id}' is {WireName(S.Status)}: it cannot complete.");
        }

        var missing = ProcessRules.MissingForCompletion(S.Start!.Definition, S.Steps.Select(s => s.Step));
        if (missing.Count > 0)
        {
            return Refused(RunOutcome.Conflict, $"Run '{Id}' cannot complete before the required steps {string.Join(", ", missing)}.", missing);
        }

        var inputIds = S.Start.Inputs.Select(i => i.BatchId).ToHashSet(StringComparer.Ordinal);
        var errors = new FieldErrors();
        for (var i = 0; i < outputs.Count; i++)
        {
            if (inputIds.Contains(outputs[i].BatchId))
            {
                errors.Add($"outputs[{i}].batchId", "must differ from the run's input batches");
            }
        }

        if (!errors.IsEmpty)
        {
            return new RunResult(RunOutcome.Invalid, View(), Errors: Flatten(errors));
        }

        S.Status = RunStatus.Completing;
        S.Outputs = [.. outputs];
        S.OutputHold = S.Holds.LastOrDefault(h => h.IsActive) is { } hold ? new BatchHold(hold.Id, hold.Reason) : null;
        S.FinishedBy = completedBy;
        await state.WriteStateAsync();
        await this.RegisterOrUpdateReminder(DriveReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

        var refused = await ResolveCompletionAsync();
        if (refused.Count > 0)
        {
            return new RunResult(RunOutcome.Shortfall, View(), Detail: "An output batch id is already in use; nothing changed.", Shortfalls: refused);
        }

        return S.Status == RunStatus.Completed
            ? new RunResult(RunOutcome.Done, View())
            : Refused(RunOutcome.Conflict, $"Run '{Id}' is still creating its outputs; ask again shortly.");
    }

    public async Task<RunResult> AbandonAsync(string reason, string abandonedBy)
    {
        await ResolvePendingAsync();
        if (!Exists)
        {
            return new RunResult(RunOutcome.NotFound, null);
        }

        switch (S.Status)
        {
            case RunStatus.Abandoned:
                return new RunResult(RunOutcome.Unchanged, View());
            case RunStatus.InProgress:
                break;
            default:
                return Refused(RunOutcome.Conflict, $"Run '{Id}' is {WireName(S.Status)}: it cannot be abandoned.");
        }

        S.Status = RunStatus.Abandoning;
        S.AbandonReason = reason;
        S.FinishedBy = abandonedBy;
        S.FinishedAt = time.GetUtcNow();
        S.InputsReturned = !ProcessRules.InputsWorked(S.Start!.Definition, S.Steps.Select(s => s.Step));
        await state.WriteStateAsync();
        await this.RegisterOrUpdateReminder(DriveReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

        await ResolveAbandonAsync();
        return S.Status == RunStatus.Abandoned
            ? new RunResult(RunOutcome.Done, View())
            : Refused(RunOutcome.Conflict, $"Run '{Id}' is still being abandoned; ask again shortly.");
    }

    public Task<RunView?> GetAsync() => Task.FromResult(View());

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        await ResolvePendingAsync();
        if (S.Start is null || S.Status is RunStatus.InProgress or RunStatus.Completed or RunStatus.Abandoned)
        {
            await StopRemindingAsync();
        }
    }

    private bool Exists => S.Start is not null && S.Status != RunStatus.Starting;

    private IBatchOperationGrain Operation() =>
        GrainFactory.GetGrain<IBatchOperationGrain>(ProcessingOperations.OperationId(Id, S.Attempt));

    private IBatchGrain Batch(string id) => GrainFactory.GetGrain<IBatchGrain>(id);

    /// <summary>Finishes whatever a crash interrupted before anything else is asked of the run.</summary>
    private async Task ResolvePendingAsync()
    {
        if (S.Start is null)
        {
            return;
        }

        switch (S.Status)
        {
            case RunStatus.Starting:
                await ResolveStartAsync();
                break;
            case RunStatus.Completing:
                await ResolveCompletionAsync();
                break;
            case RunStatus.Abandoning:
                await ResolveAbandonAsync();
                break;
        }
    }

    private async Task ResolveStartAsync()
    {
        var start = S.Start!;
        var plan = new OperationPlan(EdgeKind.Transform, start.Inputs.Select(i => new OperationInput(i.BatchId, i.Quantity)).ToList(), [],
            start.RequestedBy, OutputsLater: true);
        var result = await Operation().RunAsync(plan);
        switch (result.Status)
        {
            case OperationStatus.Open:
                S.Status = RunStatus.InProgress;
                break;
            case OperationStatus.Rejected or OperationStatus.Conflict:
                S.Shortfalls = [.. result.Shortfalls];
                S.Start = null;
                break;
            default:
                // Still reserving or committing (an input's reservation vanished): the reminder keeps driving it.
                return;
        }

        await state.WriteStateAsync();
        await StopRemindingAsync();
    }

    /// <summary>Creates the outputs; answers the shortfalls when an output id was taken (the run is in progress again).</summary>
    private async Task<IReadOnlyList<Shortfall>> ResolveCompletionAsync()
    {
        var start = S.Start!;
        var outputs = S.Outputs.Select(o => new OperationOutput(o.BatchId,
            new BatchSpec(o.Product, o.Quantity, o.Unit, o.Grade, start.OwnerId, null), S.OutputHold)).ToList();
        var result = await Operation().CompleteAsync(outputs);
        switch (result.Status)
        {
            case OperationStatus.Completed:
                var inputKg = start.Inputs.Sum(i => ProcessRules.ToKg(i.Quantity, i.Unit) ?? 0m);
                S.Yield = ProcessRules.MeasureYield(start.Definition, inputKg, S.Outputs.Select(o => (o.Product, o.Quantity, o.Unit)));
                S.Status = RunStatus.Completed;
                S.FinishedAt = time.GetUtcNow();
                await state.WriteStateAsync();
                await StopRemindingAsync();
                LogCompleted(logger, Id, S.Yield.Ratio, S.Yield.Flagged);
                await Task.WhenAll(S.Steps.Select(RecordDeviationEventsAsync));
                await ReleaseOutputsAsync();
                return [];
            case OperationStatus.Open or OperationStatus.Conflict:
                var refused = result.Shortfalls.Count > 0
                    ? result.Shortfalls
                    : [new Shortfall(S.Outputs.FirstOrDefault()?.BatchId ?? Id, 0, 0, "the run's operation refused these outputs")];
                S.Status = RunStatus.InProgress;
                S.Outputs = [];
                S.OutputHold = null;
                S.FinishedBy = null;
                await state.WriteStateAsync();
                await StopRemindingAsync();
                return refused;
            default:
                return [];
        }
    }

    private async Task ResolveAbandonAsync()
    {
        var start = S.Start!;
        var returned = S.InputsReturned == true;
        var result = await Operation().CancelAsync(returned);
        if (result.Status != OperationStatus.Cancelled)
        {
            return;
        }

        await Task.WhenAll(start.Inputs.Select(i => Batch(i.BatchId).RecordEventAsync(new BatchEvent(
            $"{ProcessingOperations.Prefix}{Id}:abandoned", BatchEventType.Abandoned, S.FinishedAt!.Value,
            returned ? "returned" : "used-up", null, i.Quantity, null,
            returned
                ? string.Create(CultureInfo.InvariantCulture, $"Processing run '{Id}' was abandoned before the product was worked; its {i.Quantity} {i.Unit} came back to this batch. Reason: {S.AbandonReason}")
                : string.Create(CultureInfo.InvariantCulture, $"Processing run '{Id}' was abandoned after the product was worked; its {i.Quantity} {i.Unit} are used up. Reason: {S.AbandonReason}"),
            S.FinishedBy ?? start.RequestedBy))));
        S.Status = RunStatus.Abandoned;
        await state.WriteStateAsync();
        await StopRemindingAsync();
        LogAbandoned(logger, Id, returned);
    }

    /// <summary>Writes a step's deviations on every input's lineage (once: the event id is the run's and the step's).</summary>
    private async Task RecordDeviationEventsAsync(RecordedStep step)
    {
        if (step.Deviations.Count == 0)
        {
            return;
        }

        var start = S.Start!;
        var note = $"Processing run '{Id}' ({start.Definition.Id} version {start.Definition.Version}): "
            + string.Join("; ", step.Deviations.Select(d => d.Describe()));
        await Task.WhenAll(start.Inputs.Select(i => Batch(i.BatchId).RecordEventAsync(new BatchEvent(
            $"{ProcessingOperations.Prefix}{Id}:deviation:{step.Step}", BatchEventType.Deviation, step.EndedAt,
            null, null, null, null, note, step.RecordedBy))));
    }

    /// <summary>Once the run's hold is released, the output batches are released too (idempotent).</summary>
    private async Task ReleaseOutputsAsync()
    {
        if (S.Status != RunStatus.Completed || S.OutputHold is not { } hold
            || S.Holds.FirstOrDefault(h => h.Id == hold.HoldId) is not { IsActive: false } released)
        {
            return;
        }

        await Task.WhenAll(S.Outputs.Select(o => Batch(o.BatchId).ReleaseHoldAsync(hold.HoldId, released.ReleaseReason!, released.ReleasedBy!)));
    }

    private async Task StopRemindingAsync()
    {
        if (await this.GetReminder(DriveReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private RunView? View() => S.Start is { } start
        ? new RunView(Id, start.Definition, start.OwnerId, S.Status, start.Inputs, [.. S.Steps], [.. S.Holds], [.. S.Outputs], S.Yield,
            S.StartedAt, start.RequestedBy, S.FinishedAt, S.AbandonReason, S.InputsReturned)
        : null;

    private RunResult Refused(RunOutcome outcome, string detail, IReadOnlyList<string>? missing = null) =>
        new(outcome, View(), Detail: detail, MissingSteps: missing);

    private RunResult Invalid(string field, string message) =>
        new(RunOutcome.Invalid, View(), Errors: [new RunFieldError(field, message)]);

    private static List<RunFieldError> Flatten(FieldErrors errors) =>
        errors.ToDictionary().SelectMany(e => e.Value.Select(m => new RunFieldError(e.Key, m))).ToList();

    /// <summary>The request with plain lists only, for the stored state (see <see cref="PlainCollections"/>).</summary>
    private static RunStart Plain(RunStart start) => start with { Definition = start.Definition.Plain(), Inputs = start.Inputs.ToList() };

    private static string WireName(RunStatus status) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(status.ToString());
}

[GenerateSerializer, Alias("agrichain.processing-run-state")]
public sealed class ProcessingRunState
{
    /// <summary>The accepted start request; null until a start succeeds (a refused start leaves it null).</summary>
    [Id(0)] public RunStart? Start { get; set; }
    [Id(1)] public RunStatus Status { get; set; }

    /// <summary>Starts tried; each runs under its own operation id, so a refused one never blocks the next.</summary>
    [Id(2)] public int Attempt { get; set; }

    /// <summary>At most one per step of the definition.</summary>
    [Id(3)] public List<RecordedStep> Steps { get; set; } = [];

    /// <summary>At most one per step (a hold is put by a step's deviations when none is active).</summary>
    [Id(4)] public List<RunHold> Holds { get; set; } = [];
    [Id(5)] public List<RunOutput> Outputs { get; set; } = [];

    /// <summary>The hold the outputs were created under, if the run was on hold when it completed.</summary>
    [Id(6)] public BatchHold? OutputHold { get; set; }
    [Id(7)] public YieldMeasurement? Yield { get; set; }
    [Id(8)] public DateTimeOffset StartedAt { get; set; }
    [Id(9)] public DateTimeOffset? FinishedAt { get; set; }
    [Id(10)] public string? FinishedBy { get; set; }
    [Id(11)] public string? AbandonReason { get; set; }
    [Id(12)] public bool? InputsReturned { get; set; }

    /// <summary>Why the last start was refused.</summary>
    [Id(13)] public List<Shortfall> Shortfalls { get; set; } = [];
}
