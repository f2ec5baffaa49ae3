using AgriChain.Contracts.Traceability;
using AgriChain.Domain.Common;
using AgriChain.Domain.Traceability;
using Microsoft.Extensions.Logging;

namespace AgriChain.Grains.Traceability;

/// <summary>
/// Drives one split, merge or transformation through its steps, persisting progress before each: reserve every
/// input; if any falls short, release them all and stop. Otherwise create the outputs and commit the inputs (from
/// here the operation only goes forward). Every step is idempotent on the batches, so repeating a step after a crash
/// is safe, and a reminder repeats them until the operation is finished. This is the mass-balance mechanism every
/// capability that consumes batches (traceability, processing, market) goes through.
/// An operation whose outputs come later (a processing run) stops after consuming its inputs, open; completing it
/// creates the outputs and records them on the inputs (linking), cancelling it may give the inputs back
/// (returning). Both are driven the same way, persisted before each step and resumed by the reminder.
/// </summary>
[GrainType("batch-operation")]
public sealed partial class BatchOperationGrain(
    [PersistentState("batch-operation")] IPersistentState<BatchOperationState> state,
    TimeProvider time,
    ILogger<BatchOperationGrain> logger) : Grain, IBatchOperationGrain, IRemindable
{
    private const string DriveReminder = "drive";

    /// <summary>Reservations outlive any plausible outage of the operation; they expire only if it is truly lost.</summary>
    private static readonly TimeSpan ReservationLifetime = TimeSpan.FromDays(1);

    private string Id => this.GetPrimaryKeyString();

    public async Task<OperationResult> RunAsync(OperationPlan plan)
    {
        if (state.State.Plan is { } existing)
        {
            if (!SamePlan(existing, plan))
            {
                return new OperationResult(Id, OperationStatus.Conflict, [], []);
            }
        }
        else
        {
            // Plain arrays: collection expressions make compiler-generated list types the JSON state reader cannot rebuild.
            state.State.Plan = plan with { Inputs = plan.Inputs.ToArray(), Outputs = plan.Outputs.ToArray() };
            state.State.Status = OperationStatus.Reserving;
            state.State.StartedAt = time.GetUtcNow();
            await state.WriteStateAsync();
            await this.RegisterOrUpdateReminder(DriveReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        }

        await DriveAsync();
        return Result();
    }

    public async Task<OperationResult> CompleteAsync(IReadOnlyList<OperationOutput> outputs)
    {
        if (state.State.Plan is not { OutputsLater: true })
        {
            return new OperationResult(Id, OperationStatus.Conflict, [], []);
        }

        await DriveAsync();
        switch (state.State.Status)
        {
            case OperationStatus.Linking or OperationStatus.Completed:
                return state.State.LateOutputs!.SequenceEqual(outputs) ? Result() : new OperationResult(Id, OperationStatus.Conflict, [], []);
            case OperationStatus.Open:
                break;
            default:
                return Result();
        }

        // An output id another batch already uses would leave the outputs incomplete: refuse while still open.
        var taken = await OutputsInUseAsync(outputs);
        if (taken.Count > 0)
        {
            return new OperationResult(Id, OperationStatus.Open, taken, []);
        }

        state.State.LateOutputs = [.. outputs];
        state.State.Status = OperationStatus.Linking;
        await state.WriteStateAsync();
        await this.RegisterOrUpdateReminder(DriveReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        var refused = await DriveAsync();
        return refused.Count > 0 ? new OperationResult(Id, OperationStatus.Open, refused, []) : Result();
    }

    public async Task<OperationResult> CancelAsync(bool returnInputs)
    {
        if (state.State.Plan is not { OutputsLater: true })
        {
            return new OperationResult(Id, OperationStatus.Conflict, [], []);
        }

        await DriveAsync();
        if (state.State.Status == OperationStatus.Open)
        {
            state.State.Status = returnInputs ? OperationStatus.Returning : OperationStatus.Cancelled;
            state.State.FinishedAt = returnInputs ? null : time.GetUtcNow();
            await state.WriteStateAsync();
            if (returnInputs)
            {
                await this.RegisterOrUpdateReminder(DriveReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
                await DriveAsync();
            }
        }

        return Result();
    }

    public Task<OperationResult?> GetAsync() =>
        Task.FromResult(state.State.Plan is null ? null : Result());

    public Task ResumeAsync() => state.State.Plan is null ? Task.CompletedTask : DriveAsync();

    public Task ReceiveReminder(string reminderName, TickStatus status) => ResumeAsync();

    /// <summary>Takes the operation as far as it can go; answers the outputs refused when linking found an id taken.</summary>
    private async Task<IReadOnlyList<Shortfall>> DriveAsync()
    {
        var plan = state.State.Plan!;
        if (state.State.Status == OperationStatus.Reserving)
        {
            LogStep(logger, Id, "reserving");
            var expires = time.GetUtcNow() + ReservationLifetime;
            var answers = await Task.WhenAll(plan.Inputs.Select(async input => (input, result:
                await Batch(input.BatchId).ReserveAsync(Id, input.Quantity, expires, plan.Kind.ToString()))));
            var shortfalls = answers
                .Where(a => a.result.Outcome is ReserveOutcome.Shortfall or ReserveOutcome.Blocked)
                .Select(a => new Shortfall(a.input.BatchId, a.input.Quantity, a.result.Available,
                    a.result.Outcome == ReserveOutcome.Blocked ? $"batch is {WireName(a.result.Status)}" : "not enough left"))
                .ToList();

            // An output id another batch already uses would leave the outputs incomplete: refuse before consuming.
            shortfalls.AddRange(await OutputsInUseAsync(plan.Outputs));

            if (shortfalls.Count > 0)
            {
                await RejectAsync(shortfalls);
                return [];
            }

            state.State.Status = OperationStatus.Committing;
            await state.WriteStateAsync();
        }

        if (state.State.Status == OperationStatus.Committing)
        {
            LogStep(logger, Id, "committing");
            var conflict = await CreateOutputsAsync(plan, plan.Outputs);
            if (conflict is not null)
            {
                // Someone created an output id between the check and now: undo what we made and give the inputs back.
                await RejectAsync([conflict]);
                return [];
            }

            var committed = await Task.WhenAll(plan.Inputs.Select(i => Batch(i.BatchId).CommitAsync(Id, ChildrenOf(plan, plan.Outputs, i))));
            if (committed.Any(c => !c))
            {
                // A reservation vanished (it expired during a day-long outage). Leave the operation for the reminder and
                // the logs: outputs exist, and the shortfall is visible on the input.
                LogCommitFailed(logger, Id);
                return [];
            }

            state.State.Status = plan.OutputsLater ? OperationStatus.Open : OperationStatus.Completed;
            state.State.FinishedAt = plan.OutputsLater ? null : time.GetUtcNow();
            await state.WriteStateAsync();
            await StopRemindingAsync();
        }

        if (state.State.Status == OperationStatus.Linking)
        {
            LogStep(logger, Id, "linking");
            var outputs = state.State.LateOutputs!;
            var conflict = await CreateOutputsAsync(plan, outputs);
            if (conflict is not null)
            {
                // An output id was taken between the check and now: nothing was linked yet, so the operation stays open.
                state.State.LateOutputs = null;
                state.State.Status = OperationStatus.Open;
                await state.WriteStateAsync();
                await StopRemindingAsync();
                return [conflict];
            }

            var inputs = await Task.WhenAll(plan.Inputs.Select(i => Batch(i.BatchId).LinkChildrenAsync(Id, ChildrenOf(plan, outputs, i))));

            // An input recalled while the outputs were being made: what was made from it is recalled too. (A recall
            // that reached the input after the link follows the link by itself.)
            foreach (var recalled in inputs.OfType<BatchView>().Where(v => v.Status == BatchStatus.Recalled))
            {
                await Task.WhenAll(outputs.Select(o => Batch(o.BatchId).RecallAsync($"inherited:{recalled.Id}",
                    $"Made from recalled batch '{recalled.Id}': {recalled.RecallReason}", plan.RequestedBy)));
            }

            state.State.Status = OperationStatus.Completed;
            state.State.FinishedAt = time.GetUtcNow();
            await state.WriteStateAsync();
            await StopRemindingAsync();
        }

        if (state.State.Status == OperationStatus.Returning)
        {
            LogStep(logger, Id, "returning");
            await Task.WhenAll(plan.Inputs.Select(i => Batch(i.BatchId).ReturnAsync(Id)));
            state.State.Status = OperationStatus.Cancelled;
            state.State.FinishedAt = time.GetUtcNow();
            await state.WriteStateAsync();
            await StopRemindingAsync();
        }

        return [];
    }

    /// <summary>Creates <paramref name="outputs"/>; when one id belongs to another batch, undoes the rest and answers it.</summary>
    private async Task<Shortfall?> CreateOutputsAsync(OperationPlan plan, IReadOnlyList<OperationOutput> outputs)
    {
        var created = await Task.WhenAll(outputs.Select(o =>
            Batch(o.BatchId).CreateDerivedAsync(Id, o.Spec, ParentsOf(plan, o), plan.RequestedBy, o.Hold)));
        var conflict = Array.FindIndex(created, c => c.Outcome == UpsertOutcome.Conflict);
        if (conflict < 0)
        {
            return null;
        }

        await Task.WhenAll(outputs.Select(o => Batch(o.BatchId).AbandonAsync(Id)));
        return new Shortfall(outputs[conflict].BatchId, 0, 0, "batch id already in use");
    }

    private async Task<List<Shortfall>> OutputsInUseAsync(IReadOnlyList<OperationOutput> outputs)
    {
        var taken = await Task.WhenAll(outputs.Select(async o => (o.BatchId, view: await Batch(o.BatchId).GetAsync())));
        return taken.Where(t => t.view is not null && !IsOurs(t.view))
            .Select(t => new Shortfall(t.BatchId, 0, 0, "batch id already in use"))
            .ToList();
    }

    private async Task RejectAsync(IReadOnlyList<Shortfall> shortfalls)
    {
        var plan = state.State.Plan!;
        await Task.WhenAll(plan.Inputs.Select(i => Batch(i.BatchId).ReleaseAsync(Id)));
        state.State.Status = OperationStatus.Rejected;
        state.State.Shortfalls = [.. shortfalls];
        state.State.FinishedAt = time.GetUtcNow();
        await state.WriteStateAsync();
        await StopRemindingAsync();
    }

    private async Task StopRemindingAsync()
    {
        if (await this.GetReminder(DriveReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private bool IsOurs(BatchView view) => view.Parents.Any(p => p.OperationId == Id);

    /// <summary>An output's parents: every input, each with what it gave this output.</summary>
    private List<LineageLink> ParentsOf(OperationPlan plan, OperationOutput output) => plan.Kind switch
    {
        EdgeKind.Split => [new LineageLink(plan.Inputs[0].BatchId, output.Spec.Quantity, EdgeKind.Split, Id)],
        _ => plan.Inputs.Select(i => new LineageLink(i.BatchId, i.Quantity, plan.Kind, Id)).ToList(),
    };

    /// <summary>An input's children: every output, each with what this input gave it.</summary>
    private List<LineageLink> ChildrenOf(OperationPlan plan, IReadOnlyList<OperationOutput> outputs, OperationInput input) => plan.Kind switch
    {
        EdgeKind.Split => outputs.Select(o => new LineageLink(o.BatchId, o.Spec.Quantity, EdgeKind.Split, Id)).ToList(),
        _ => outputs.Select(o => new LineageLink(o.BatchId, input.Quantity, plan.Kind, Id)).ToList(),
    };

    private OperationResult Result() => new(Id, state.State.Status, state.State.Shortfalls,
        state.State.Status == OperationStatus.Completed
            ? (state.State.LateOutputs ?? state.State.Plan!.Outputs).Select(o => o.BatchId).ToList()
            : []);

    private IBatchGrain Batch(string id) => GrainFactory.GetGrain<IBatchGrain>(id);

    private static bool SamePlan(OperationPlan a, OperationPlan b) =>
        a.Kind == b.Kind && a.OutputsLater == b.OutputsLater && a.Inputs.SequenceEqual(b.Inputs) && a.Outputs.SequenceEqual(b.Outputs);

    private static string WireName(BatchStatus status) =>
        System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(status.ToString());

    [LoggerMessage(Level = LogLevel.Debug, Message = "Batch operation {OperationId}: {Step}")]
    private static partial void LogStep(ILogger logger, string operationId, string step);

    [LoggerMessage(Level = LogLevel.Error, Message = "Batch operation {OperationId} could not consume an input whose reservation is gone")]
    private static partial void LogCommitFailed(ILogger logger, string operationId);
}

[GenerateSerializer, Alias("agrichain.batch-operation-state")]
public sealed class BatchOperationState
{
    [Id(0)] public OperationPlan? Plan { get; set; }
    [Id(1)] public OperationStatus Status { get; set; }
    [Id(2)] public List<Shortfall> Shortfalls { get; set; } = [];
    [Id(3)] public DateTimeOffset StartedAt { get; set; }
    [Id(4)] public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The outputs of an operation whose outputs came later, once named.</summary>
    [Id(5)] public List<OperationOutput>? LateOutputs { get; set; }
}
