namespace AgriChain.Domain.Traceability;

/// <summary>Where a batch is in its life.</summary>
[GenerateSerializer]
public enum BatchStatus
{
    /// <summary>Holds product that can be split, merged, processed, offered or shipped.</summary>
    Active = 0,

    /// <summary>All of it went into other batches (split, merge, processing).</summary>
    Consumed = 1,

    /// <summary>All of it left with buyers.</summary>
    Shipped = 2,

    /// <summary>Held back (for example after a failed inspection): nothing leaves it until released.</summary>
    OnHold = 3,

    /// <summary>Recalled with its whole lineage downstream: nothing leaves it any more.</summary>
    Recalled = 4,
}

/// <summary>How one batch came from another.</summary>
[GenerateSerializer]
public enum EdgeKind
{
    Split = 0,
    Merge = 1,
    Transform = 2,
}

/// <summary>Where produce was harvested: a farm, and the greenhouse or plot on it.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.batch-origin")]
public sealed record BatchOrigin(
    [property: Id(0)] string FarmId,
    [property: Id(1)] string? GreenhouseId,
    [property: Id(2)] DateTimeOffset HarvestedAt,
    [property: Id(3)] string? Plot = null);

/// <summary>What a batch is: product, amount and unit at creation, grade, owner and (for harvests) origin.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.batch-spec")]
public sealed record BatchSpec(
    [property: Id(0)] string Product,
    [property: Id(1)] decimal Quantity,
    [property: Id(2)] string Unit,
    [property: Id(3)] string? Grade,
    [property: Id(4)] string OwnerId,
    [property: Id(5)] BatchOrigin? Origin);

/// <summary>A parent or child of a batch and how much moved along the edge.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.lineage-link")]
public sealed record LineageLink(
    [property: Id(0)] string BatchId,
    [property: Id(1)] decimal Quantity,
    [property: Id(2)] EdgeKind Kind,
    [property: Id(3)] string OperationId);

/// <summary>Business events of a batch.</summary>
[GenerateSerializer]
public enum BatchEventType
{
    Inspected = 0,
    Stored = 1,
    Shipped = 2,
    Received = 3,
    Sold = 4,

    /// <summary>A process the batch went into ran outside a band (recorded by the process, not by hand).</summary>
    Deviation = 5,

    /// <summary>A process the batch went into was abandoned (recorded by the process, not by hand).</summary>
    Abandoned = 6,

    /// <summary>The batch was put on hold, with the reason (recorded by whatever held it).</summary>
    Held = 7,

    /// <summary>A hold was released, with the reason.</summary>
    Released = 8,
}

/// <summary>Which event types people record through the API; the others are written by the processes they describe.</summary>
public static class BatchEventTypes
{
    public static readonly IReadOnlySet<BatchEventType> ByHand = new HashSet<BatchEventType>
    {
        BatchEventType.Inspected, BatchEventType.Stored, BatchEventType.Shipped, BatchEventType.Received, BatchEventType.Sold,
    };
}

/// <summary>
/// A hold put on a batch by some process (a processing run that deviated): nothing leaves the batch until whoever
/// put it releases it. Holds are keyed, so putting or releasing the same one twice changes nothing.
/// </summary>
[GenerateSerializer, Immutable, Alias("agrichain.batch-hold")]
public sealed record BatchHold(
    [property: Id(0)] string HoldId,
    [property: Id(1)] string Reason);

/// <summary>Something that happened to a batch. Shipments name the buyer and the quantity that left.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.batch-event")]
public sealed record BatchEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] BatchEventType Type,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string? Result,
    [property: Id(4)] string? BuyerId,
    [property: Id(5)] decimal? Quantity,
    [property: Id(6)] string? Location,
    [property: Id(7)] string? Note,
    [property: Id(8)] string RecordedBy);

/// <summary>Units a batch can be counted in.</summary>
public static class BatchUnits
{
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "kg", "t", "L", "bottle", "piece", "egg", "bird", "box",
    };

    /// <summary>Grades AgriChain accepts, best first.</summary>
    public static readonly IReadOnlyList<string> Grades = ["premium", "a", "b", "c"];
}
