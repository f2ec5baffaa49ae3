namespace AgriChain.Domain.Traceability;

/// <summary>A quantity held for an operation until it commits or is released.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.reservation")]
public sealed record Reservation(
    [property: Id(0)] decimal Quantity,
    [property: Id(1)] DateTimeOffset ExpiresAt,
    [property: Id(2)] string Purpose);

/// <summary>What asking a batch to hold quantity did.</summary>
[GenerateSerializer]
public enum ReserveOutcome
{
    Reserved = 0,

    /// <summary>This operation already holds (or already consumed) its quantity: nothing changed.</summary>
    AlreadyApplied = 1,

    /// <summary>Not enough is free.</summary>
    Shortfall = 2,

    /// <summary>The batch is recalled, on hold, consumed or shipped.</summary>
    Blocked = 3,
}

/// <summary>The answer to a reservation, with how much was free when it fell short.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.reserve-result")]
public sealed record ReserveResult(
    [property: Id(0)] ReserveOutcome Outcome,
    [property: Id(1)] decimal Available,
    [property: Id(2)] BatchStatus Status);

/// <summary>
/// The mass balance of one batch: how much is left, what is held for operations in flight, and which operations
/// were already applied. Every quantity change goes through here, once per operation id, so retries and
/// concurrent requests can never take a unit twice or drive the quantity below zero. A reservation that nobody
/// commits or releases expires, so a lost coordinator cannot hold product forever.
/// </summary>
[GenerateSerializer, Alias("agrichain.quantity-ledger")]
public sealed class QuantityLedger
{
    /// <summary>Applied operation ids remembered for idempotency.</summary>
    public const int MaxRemembered = 10_000;

    [Id(0)] public decimal Quantity { get; set; }
    [Id(1)] public Dictionary<string, Reservation> Reservations { get; set; } = new(StringComparer.Ordinal);
    [Id(2)] public Dictionary<string, decimal> Applied { get; set; } = new(StringComparer.Ordinal);
    [Id(3)] public Queue<string> AppliedOrder { get; set; } = new();

    /// <summary>What is neither gone nor held by an unexpired reservation.</summary>
    public decimal Available(DateTimeOffset now) =>
        Quantity - Reservations.Values.Where(r => r.ExpiresAt > now).Sum(r => r.Quantity);

    public bool WasApplied(string operationId) => Applied.ContainsKey(operationId);

    /// <summary>Holds <paramref name="quantity"/> for <paramref name="operationId"/> until it commits, is released or expires.</summary>
    public ReserveResult Reserve(string operationId, decimal quantity, DateTimeOffset expiresAt, string purpose,
        DateTimeOffset now, BatchStatus status)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quantity);
        DropExpired(now);
        if (Reservations.ContainsKey(operationId) || Applied.ContainsKey(operationId))
        {
            return new(ReserveOutcome.AlreadyApplied, Available(now), status);
        }

        if (status != BatchStatus.Active)
        {
            return new(ReserveOutcome.Blocked, 0, status);
        }

        var available = Available(now);
        if (quantity > available)
        {
            return new(ReserveOutcome.Shortfall, available, status);
        }

        Reservations[operationId] = new Reservation(quantity, expiresAt, purpose);
        return new(ReserveOutcome.Reserved, available - quantity, status);
    }

    /// <summary>
    /// Consumes what <paramref name="operationId"/> holds. True when consumed now or before; false when the
    /// operation holds nothing (never reserved, released, or expired).
    /// </summary>
    public bool Commit(string operationId)
    {
        if (Applied.ContainsKey(operationId))
        {
            return true;
        }

        if (!Reservations.Remove(operationId, out var reservation))
        {
            return false;
        }

        Quantity -= reservation.Quantity;
        Remember(operationId, reservation.Quantity);
        return true;
    }

    /// <summary>Takes <paramref name="quantity"/> at once, for single-batch operations (a shipment). Same rules as reserving.</summary>
    public ReserveResult Take(string operationId, decimal quantity, DateTimeOffset now, BatchStatus status)
    {
        var result = Reserve(operationId, quantity, DateTimeOffset.MaxValue, "take", now, status);
        if (result.Outcome == ReserveOutcome.Reserved)
        {
            Commit(operationId);
        }

        return result;
    }

    /// <summary>Gives back what <paramref name="operationId"/> holds; true when it held something.</summary>
    public bool Release(string operationId) => Reservations.Remove(operationId);

    /// <summary>
    /// Gives back what <paramref name="operationId"/> consumed, once: for an operation that took its inputs and then
    /// ended without using them (a processing run abandoned before the product was worked). True when given back
    /// now or before; false when the operation consumed nothing here (or so long ago that it is forgotten).
    /// </summary>
    public bool Return(string operationId)
    {
        var returnId = ReturnIdOf(operationId);
        if (Applied.ContainsKey(returnId))
        {
            return true;
        }

        if (!Applied.TryGetValue(operationId, out var taken))
        {
            return false;
        }

        Quantity += taken;
        Remember(returnId, -taken);
        return true;
    }

    /// <summary>The id under which the return of <paramref name="operationId"/> is remembered.</summary>
    public static string ReturnIdOf(string operationId) => $"{operationId}:returned";

    /// <summary>Forgets reservations past their expiry; returns their operation ids.</summary>
    public IReadOnlyList<string> DropExpired(DateTimeOffset now)
    {
        var expired = Reservations.Where(r => r.Value.ExpiresAt <= now).Select(r => r.Key).ToList();
        foreach (var id in expired)
        {
            Reservations.Remove(id);
        }

        return expired;
    }

    private void Remember(string operationId, decimal quantity)
    {
        Applied[operationId] = quantity;
        AppliedOrder.Enqueue(operationId);
        while (AppliedOrder.Count > MaxRemembered)
        {
            Applied.Remove(AppliedOrder.Dequeue());
        }
    }
}
