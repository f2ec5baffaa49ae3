namespace AgriChain.Domain.Market;

/// <summary>Kilograms of an offer held for one demand, and when the demand first got some.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.offer-allocation")]
public sealed record OfferAllocation(
    [property: Id(0)] string DemandId,
    [property: Id(1)] string BuyerId,
    [property: Id(2)] decimal QuantityKg,
    [property: Id(3)] DateTimeOffset At);

/// <summary>The answer a demand's matching attempt got from one offer, remembered so a retry gets the same answer.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.allocation-attempt")]
public sealed record AllocationAttempt(
    [property: Id(0)] int Attempt,
    [property: Id(1)] decimal GrantedKg);

/// <summary>What asking an offer for kilograms did: granted now, held in all, and whether the book changed.</summary>
public readonly record struct AllocationGrant(decimal GrantedKg, decimal HeldKg, bool Changed);

/// <summary>Kilograms taken back from a demand when the offer's capacity fell below what it had allocated.</summary>
public sealed record AllocationCut(string DemandId, string BuyerId, decimal CutKg, decimal HeldKg);

/// <summary>
/// The allocation ledger of one offer: its capacity (the offered kilograms, or less when a forecast shrank), the
/// kilograms held per demand in the order they were first granted, and the answers given to each demand's matching
/// attempts. The offer is the only authority over its free kilograms, and every grant goes through here:
/// <list type="bullet">
/// <item>A grant never exceeds what is free, so the sum allocated never exceeds the capacity.</item>
/// <item>Each (demand, attempt) is answered once: asking again answers the same grant and changes nothing, so a
/// retried or resumed demand never takes twice. An older attempt gets nothing.</item>
/// <item>A released (cancelled) demand is remembered and gets nothing afterwards.</item>
/// <item>When the capacity falls below what is allocated, the newest allocations give back first.</item>
/// </list>
/// Everything is bounded; the oldest remembered answers and closed demands are forgotten first.
/// </summary>
[GenerateSerializer, Alias("agrichain.offer-book")]
public sealed class OfferBook
{
    /// <summary>Demands one offer can hold kilograms for at a time.</summary>
    public const int MaxAllocations = 1_000;

    /// <summary>Attempt answers and released demands remembered (each).</summary>
    public const int MaxRemembered = 10_000;

    [Id(0)] public decimal CapacityKg { get; set; }
    [Id(1)] public List<OfferAllocation> Allocations { get; set; } = [];
    [Id(2)] public Dictionary<string, AllocationAttempt> Attempts { get; set; } = new(StringComparer.Ordinal);
    [Id(3)] public Queue<string> AttemptOrder { get; set; } = new();
    [Id(4)] public HashSet<string> Closed { get; set; } = new(StringComparer.Ordinal);
    [Id(5)] public Queue<string> ClosedOrder { get; set; } = new();

    public decimal AllocatedKg => Allocations.Sum(a => a.QuantityKg);

    public decimal FreeKg => Math.Max(0, CapacityKg - AllocatedKg);

    public decimal HeldFor(string demandId) => Allocations.Find(a => a.DemandId == demandId)?.QuantityKg ?? 0;

    public bool IsClosed(string demandId) => Closed.Contains(demandId);

    /// <summary>
    /// Grants attempt <paramref name="attempt"/> of <paramref name="demandId"/> up to <paramref name="wantKg"/> of
    /// what is free (nothing when <paramref name="eligible"/> is false), once.
    /// </summary>
    public AllocationGrant Allocate(string demandId, string buyerId, int attempt, decimal wantKg, bool eligible, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(demandId);
        if (Closed.Contains(demandId))
        {
            return new(0, 0, false);
        }

        var held = HeldFor(demandId);
        if (Attempts.TryGetValue(demandId, out var answered) && answered.Attempt >= attempt)
        {
            return new(answered.Attempt == attempt ? answered.GrantedKg : 0, held, false);
        }

        var index = Allocations.FindIndex(a => a.DemandId == demandId);
        var room = index >= 0 || Allocations.Count < MaxAllocations;
        var grant = eligible && room && wantKg > 0 ? Math.Min(wantKg, FreeKg) : 0;
        if (grant > 0)
        {
            if (index >= 0)
            {
                Allocations[index] = Allocations[index] with { QuantityKg = Allocations[index].QuantityKg + grant };
            }
            else
            {
                Allocations.Add(new OfferAllocation(demandId, buyerId, grant, now));
            }
        }

        // Remember the answer even when it is nothing: a resumed attempt must not get kilograms it was refused
        // before, or the demand could end up holding more than it asked for.
        Remember(demandId, new AllocationAttempt(attempt, grant));
        return new(grant, held + grant, true);
    }

    /// <summary>Gives back everything held for <paramref name="demandId"/> and refuses it from now on; answers what was held.</summary>
    public decimal Release(string demandId)
    {
        var index = Allocations.FindIndex(a => a.DemandId == demandId);
        var released = index >= 0 ? Allocations[index].QuantityKg : 0;
        if (index >= 0)
        {
            Allocations.RemoveAt(index);
        }

        Attempts.Remove(demandId);
        if (Closed.Add(demandId))
        {
            ClosedOrder.Enqueue(demandId);
            while (ClosedOrder.Count > MaxRemembered)
            {
                Closed.Remove(ClosedOrder.Dequeue());
            }
        }

        return released;
    }

    /// <summary>
    /// Sets the capacity; when less than what is allocated, takes the difference back from the newest allocations
    /// first and answers who lost what.
    /// </summary>
    public IReadOnlyList<AllocationCut> Resize(decimal capacityKg)
    {
        CapacityKg = Math.Max(0, capacityKg);
        var excess = AllocatedKg - CapacityKg;
        var cuts = new List<AllocationCut>();
        for (var i = Allocations.Count - 1; i >= 0 && excess > 0; i--)
        {
            var allocation = Allocations[i];
            var cut = Math.Min(excess, allocation.QuantityKg);
            excess -= cut;
            var left = allocation.QuantityKg - cut;
            if (left > 0)
            {
                Allocations[i] = allocation with { QuantityKg = left };
            }
            else
            {
                Allocations.RemoveAt(i);
            }

            cuts.Add(new AllocationCut(allocation.DemandId, allocation.BuyerId, cut, left));
        }

        return cuts;
    }

    private void Remember(string demandId, AllocationAttempt answer)
    {
        if (!Attempts.ContainsKey(demandId))
        {
            AttemptOrder.Enqueue(demandId);
        }

        Attempts[demandId] = answer;
        while (AttemptOrder.Count > MaxRemembered)
        {
            Attempts.Remove(AttemptOrder.Dequeue());
        }
    }
}
