using AgriChain.Domain.Common;
using AgriChain.Domain.Traceability;

namespace AgriChain.Contracts.Traceability;

/// <summary>
/// A batch of product (key: batch id, which is also its trace code). Its quantity only changes through the
/// mass-balance operations below, each applied once per operation id.
/// </summary>
[Alias("agrichain.batch")]
public interface IBatchGrain : IGrainWithStringKey
{
    /// <summary>Creates a batch from a harvest or by hand. Same content again: unchanged; different: conflict.</summary>
    [Alias("create")]
    Task<UpsertResult<BatchView>> CreateAsync(BatchSpec spec, string createdBy);

    /// <summary>
    /// Creates a batch made from others (a split part, a merge, a processing output), recording its parents, and on
    /// <paramref name="hold"/> when given (so it is never free, not even for a moment, when it must not be).
    /// Idempotent by <paramref name="operationId"/>; a different operation on an existing id is a conflict.
    /// </summary>
    [Alias("create-derived")]
    Task<UpsertResult<BatchView>> CreateDerivedAsync(string operationId, BatchSpec spec, IReadOnlyList<LineageLink> parents, string createdBy,
        BatchHold? hold);

    /// <summary>
    /// Undoes <see cref="CreateDerivedAsync"/> of an operation that could not complete: the batch disappears if that
    /// operation made it and nothing has happened to it since. True when it is gone.
    /// </summary>
    [Alias("abandon")]
    Task<bool> AbandonAsync(string operationId);

    /// <summary>The batch, or null.</summary>
    [Alias("get")]
    Task<BatchView?> GetAsync();

    /// <summary>Holds quantity for an operation until it commits, is released, or expires.</summary>
    [Alias("reserve")]
    Task<ReserveResult> ReserveAsync(string operationId, decimal quantity, DateTimeOffset expiresAt, string purpose);

    /// <summary>Consumes the operation's reservation and records where it went. False when it holds nothing.</summary>
    [Alias("commit")]
    Task<bool> CommitAsync(string operationId, IReadOnlyList<LineageLink> children);

    /// <summary>Gives back the operation's reservation (a no-op when it holds none).</summary>
    [Alias("release")]
    Task ReleaseAsync(string operationId);

    /// <summary>
    /// Records the children of an operation that consumed from this batch before its outputs existed (a processing
    /// run takes its inputs at start and makes its outputs at the end). Idempotent; answers the batch, so the
    /// caller sees whether it was recalled meanwhile.
    /// </summary>
    [Alias("link-children")]
    Task<BatchView?> LinkChildrenAsync(string operationId, IReadOnlyList<LineageLink> children);

    /// <summary>
    /// Gives back what the operation took, whether still reserved or already consumed, once: for an operation that
    /// ended without outputs. False when it took nothing here.
    /// </summary>
    [Alias("return")]
    Task<bool> ReturnAsync(string operationId);

    /// <summary>Puts the batch on hold (idempotent by hold id) and records a <c>held</c> event with the reason.</summary>
    [Alias("hold")]
    Task<BatchView?> HoldAsync(BatchHold hold, string heldBy);

    /// <summary>Lifts a hold (idempotent) and records a <c>released</c> event with the reason.</summary>
    [Alias("release-hold")]
    Task<BatchView?> ReleaseHoldAsync(string holdId, string reason, string releasedBy);

    /// <summary>Records a business event once per event id; a shipment takes its quantity out of the batch.</summary>
    [Alias("record-event")]
    Task<EventResult> RecordEventAsync(BatchEvent batchEvent);

    /// <summary>Marks the batch recalled (idempotent) and answers its children, for the recall to follow.</summary>
    [Alias("recall")]
    Task<RecallStep> RecallAsync(string recallId, string reason, string recalledBy);

    /// <summary>Lets a buyer that received this batch or a descendant read it, and passes that on to the parents.</summary>
    [Alias("grant-buyer")]
    Task GrantBuyerAsync(string buyerId);
}

/// <summary>A batch as readers see it.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.batch-view")]
public sealed record BatchView(
    [property: Id(0)] string Id,
    [property: Id(1)] BatchSpec Spec,
    [property: Id(2)] decimal Quantity,
    [property: Id(3)] decimal Available,
    [property: Id(4)] BatchStatus Status,
    [property: Id(5)] IReadOnlyList<LineageLink> Parents,
    [property: Id(6)] IReadOnlyList<LineageLink> Children,
    [property: Id(7)] IReadOnlyList<BatchEvent> Events,
    [property: Id(8)] IReadOnlyList<string> Buyers,
    [property: Id(9)] DateTimeOffset CreatedAt,
    [property: Id(10)] string? RecallReason);

/// <summary>What recording an event did.</summary>
[GenerateSerializer]
public enum EventOutcome
{
    Recorded = 0,
    AlreadyRecorded = 1,

    /// <summary>The same event id with different content.</summary>
    Conflict = 2,

    /// <summary>A shipment larger than what is free.</summary>
    Shortfall = 3,

    /// <summary>A shipment from a recalled, on-hold, consumed or shipped batch.</summary>
    Blocked = 4,

    NotFound = 5,
}

[GenerateSerializer, Immutable, Alias("agrichain.event-result")]
public sealed record EventResult(
    [property: Id(0)] EventOutcome Outcome,
    [property: Id(1)] BatchView? Batch,
    [property: Id(2)] decimal Available = 0);

/// <summary>
/// One batch's part in a recall: whether it was found, where the recall goes next, the market offers that held its
/// quantity when it was recalled (they must leave the market) and the buyers those offers had allocated to.
/// </summary>
[GenerateSerializer, Immutable, Alias("agrichain.recall-step")]
public sealed record RecallStep(
    [property: Id(0)] bool Found,
    [property: Id(1)] IReadOnlyList<string> Children,
    [property: Id(2)] BatchView? Batch,
    [property: Id(3)] IReadOnlyList<string>? Offers = null,
    [property: Id(4)] IReadOnlyList<string>? OfferBuyers = null);
