using AgriChain.Contracts.Traceability;
using AgriChain.Domain.Processing;

namespace AgriChain.Contracts.Processing;

/// <summary>
/// One run of a process definition (key: run id). Starting takes the inputs out of their batches, all or nothing,
/// through the batch operation of the run; steps are then recorded in the definition's order, each checked against
/// its bands; a deviation holds the outputs until someone releases them with a reason; completion makes the output
/// batches, each a <c>transform</c> child of every input, and measures the yield. A run can be abandoned instead.
/// Every action is idempotent: repeating a request answers the first answer and changes nothing.
/// </summary>
[Alias("agrichain.processing-run-grain")]
public interface IProcessingRunGrain : IGrainWithStringKey
{
    /// <summary>Starts the run with the definition version given (the run keeps it), taking the inputs.</summary>
    [Alias("start")]
    Task<RunResult> StartAsync(RunStart start);

    /// <summary>Records a step; deviations put the run's outputs on hold and are written on the inputs' lineage.</summary>
    [Alias("record-step")]
    Task<RunResult> RecordStepAsync(StepEntry entry);

    /// <summary>Lifts the hold on the run's outputs (and on the output batches, when they exist).</summary>
    [Alias("release")]
    Task<RunResult> ReleaseAsync(string reason, string releasedBy);

    /// <summary>Creates the output batches and measures the yield; only when every required step is recorded.</summary>
    [Alias("complete")]
    Task<RunResult> CompleteAsync(IReadOnlyList<RunOutput> outputs, string completedBy);

    /// <summary>
    /// Ends the run without outputs. Inputs not yet worked (no step from the definition's consuming step on was
    /// recorded) go back to their batches; the abandonment is written on every input's lineage.
    /// </summary>
    [Alias("abandon")]
    Task<RunResult> AbandonAsync(string reason, string abandonedBy);

    /// <summary>The run, or null when it was never started (or its start was refused).</summary>
    [Alias("get")]
    Task<RunView?> GetAsync();
}

/// <summary>An input of a run: a batch, how much of it, and the batch's unit (kg or t).</summary>
[GenerateSerializer, Immutable, Alias("agrichain.processing.run-input")]
public sealed record RunInput(
    [property: Id(0)] string BatchId,
    [property: Id(1)] decimal Quantity,
    [property: Id(2)] string Unit);

/// <summary>What starting a run asks for. The definition is the version in force when the request was accepted.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.processing.run-start")]
public sealed record RunStart(
    [property: Id(0)] ProcessDefinition Definition,
    [property: Id(1)] string OwnerId,
    [property: Id(2)] IReadOnlyList<RunInput> Inputs,
    [property: Id(3)] string RequestedBy)
{
    /// <summary>The same run asked for again (who asks, and a newer definition version, aside).</summary>
    public bool SameRequest(RunStart other) =>
        Definition.Id == other.Definition.Id && OwnerId == other.OwnerId && Inputs.SequenceEqual(other.Inputs);
}

/// <summary>A step as the client records it.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.processing.step-entry")]
public sealed record StepEntry(
    [property: Id(0)] string Step,
    [property: Id(1)] DateTimeOffset StartedAt,
    [property: Id(2)] DateTimeOffset EndedAt,
    [property: Id(3)] IReadOnlyList<ParameterValue> Parameters,
    [property: Id(4)] string RecordedBy);

/// <summary>An output batch of a run.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.processing.run-output")]
public sealed record RunOutput(
    [property: Id(0)] string BatchId,
    [property: Id(1)] string Product,
    [property: Id(2)] decimal Quantity,
    [property: Id(3)] string Unit,
    [property: Id(4)] string? Grade);

/// <summary>A run as readers see it, with the definition version it keeps.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.processing.run-view")]
public sealed record RunView(
    [property: Id(0)] string Id,
    [property: Id(1)] ProcessDefinition Definition,
    [property: Id(2)] string OwnerId,
    [property: Id(3)] RunStatus Status,
    [property: Id(4)] IReadOnlyList<RunInput> Inputs,
    [property: Id(5)] IReadOnlyList<RecordedStep> Steps,
    [property: Id(6)] IReadOnlyList<RunHold> Holds,
    [property: Id(7)] IReadOnlyList<RunOutput> Outputs,
    [property: Id(8)] YieldMeasurement? Yield,
    [property: Id(9)] DateTimeOffset StartedAt,
    [property: Id(10)] string StartedBy,
    [property: Id(11)] DateTimeOffset? FinishedAt,
    [property: Id(12)] string? AbandonReason,
    [property: Id(13)] bool? InputsReturned)
{
    public bool OnHold => Holds.Any(h => h.IsActive);

    /// <summary>Every deviation of the run, in the order the steps were recorded.</summary>
    public IEnumerable<Deviation> Deviations => Steps.SelectMany(s => s.Deviations);
}

/// <summary>What a run action did.</summary>
[GenerateSerializer]
public enum RunOutcome
{
    /// <summary>Done now (started, recorded, released, completed, abandoned).</summary>
    Done = 0,

    /// <summary>The same request was already done: nothing changed.</summary>
    Unchanged = 1,

    NotFound = 2,

    /// <summary>The request conflicts with the run's state (see the detail, and the missing steps when any).</summary>
    Conflict = 3,

    /// <summary>An input could not be had (see the shortfalls); nothing changed.</summary>
    Shortfall = 4,

    /// <summary>The request does not fit the run's definition (see the field errors); nothing changed.</summary>
    Invalid = 5,
}

/// <summary>A field of the request and what is wrong with it.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.processing.field-error")]
public sealed record RunFieldError(
    [property: Id(0)] string Field,
    [property: Id(1)] string Message);

/// <summary>The answer to a run action: the outcome, the run as it now is, the step recorded, and why when refused.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.processing.run-result")]
public sealed record RunResult(
    [property: Id(0)] RunOutcome Outcome,
    [property: Id(1)] RunView? Run,
    [property: Id(2)] RecordedStep? Step = null,
    [property: Id(3)] string? Detail = null,
    [property: Id(4)] IReadOnlyList<Shortfall>? Shortfalls = null,
    [property: Id(5)] IReadOnlyList<string>? MissingSteps = null,
    [property: Id(6)] IReadOnlyList<RunFieldError>? Errors = null);
