using AgriChain.Domain.Traceability;

namespace AgriChain.Contracts.Traceability;

/// <summary>
/// One multi-batch operation (key: operation id): split, merge or transformation. It reserves every input, creates
/// the outputs, then commits the inputs; or, when an input falls short, releases whatever it reserved. Its progress
/// is persisted and a reminder drives it to the end after a crash, so no operation is left half done or holding
/// quantity. Running the same operation id again answers the first run's result; a different plan is refused.
/// An operation whose plan says <see cref="OperationPlan.OutputsLater"/> (a processing run) consumes its inputs
/// and stays <see cref="OperationStatus.Open"/> until <see cref="CompleteAsync"/> names its outputs or
/// <see cref="CancelAsync"/> ends it without any.
/// </summary>
[Alias("agrichain.batch-operation")]
public interface IBatchOperationGrain : IGrainWithStringKey
{
    [Alias("run")]
    Task<OperationResult> RunAsync(OperationPlan plan);

    /// <summary>
    /// Creates the outputs of an open operation, each a child of every input, and records them on the inputs.
    /// Outputs made from an input recalled meanwhile are recalled too. The same outputs again answer the same
    /// result; other outputs after completion are a conflict. An output id already in use leaves the operation
    /// open and answers it as a shortfall.
    /// </summary>
    [Alias("complete")]
    Task<OperationResult> CompleteAsync(IReadOnlyList<OperationOutput> outputs);

    /// <summary>
    /// Ends an open operation without outputs: with <paramref name="returnInputs"/> its inputs go back to their
    /// batches; without, they stay consumed (the product was used up). Idempotent.
    /// </summary>
    [Alias("cancel")]
    Task<OperationResult> CancelAsync(bool returnInputs);

    /// <summary>The result so far, or null when no such operation ran.</summary>
    [Alias("get")]
    Task<OperationResult?> GetAsync();

    /// <summary>Continues an unfinished operation (the reminder calls this).</summary>
    [Alias("resume")]
    Task ResumeAsync();
}

/// <summary>
/// What an operation takes and makes. With <see cref="OutputsLater"/>, <see cref="Outputs"/> is empty: the inputs
/// are consumed now and the outputs named at completion.
/// </summary>
[GenerateSerializer, Immutable, Alias("agrichain.operation-plan")]
public sealed record OperationPlan(
    [property: Id(0)] EdgeKind Kind,
    [property: Id(1)] IReadOnlyList<OperationInput> Inputs,
    [property: Id(2)] IReadOnlyList<OperationOutput> Outputs,
    [property: Id(3)] string RequestedBy,
    [property: Id(4)] bool OutputsLater = false);

[GenerateSerializer, Immutable, Alias("agrichain.operation-input")]
public sealed record OperationInput(
    [property: Id(0)] string BatchId,
    [property: Id(1)] decimal Quantity);

/// <summary>An output batch, created on <see cref="Hold"/> when one is given.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.operation-output")]
public sealed record OperationOutput(
    [property: Id(0)] string BatchId,
    [property: Id(1)] BatchSpec Spec,
    [property: Id(2)] BatchHold? Hold = null);

[GenerateSerializer]
public enum OperationStatus
{
    /// <summary>Holding inputs.</summary>
    Reserving = 0,

    /// <summary>Every input is held: outputs are being created and inputs consumed. Only forward from here.</summary>
    Committing = 1,

    Completed = 2,

    /// <summary>An input fell short or was blocked; every reservation was released.</summary>
    Rejected = 3,

    /// <summary>The same operation id was used with another plan (or other outputs).</summary>
    Conflict = 4,

    /// <summary>Inputs consumed; outputs to be named (<see cref="IBatchOperationGrain.CompleteAsync"/>) or none (cancel).</summary>
    Open = 5,

    /// <summary>Outputs named: being created and recorded on the inputs. Only forward from here.</summary>
    Linking = 6,

    /// <summary>Cancelled: inputs being given back.</summary>
    Returning = 7,

    /// <summary>Ended without outputs.</summary>
    Cancelled = 8,
}

/// <summary>Why an input could not be had.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.operation-shortfall")]
public sealed record Shortfall(
    [property: Id(0)] string BatchId,
    [property: Id(1)] decimal Requested,
    [property: Id(2)] decimal Available,
    [property: Id(3)] string Reason);

[GenerateSerializer, Immutable, Alias("agrichain.operation-result")]
public sealed record OperationResult(
    [property: Id(0)] string OperationId,
    [property: Id(1)] OperationStatus Status,
    [property: Id(2)] IReadOnlyList<Shortfall> Shortfalls,
    [property: Id(3)] IReadOnlyList<string> Outputs);
