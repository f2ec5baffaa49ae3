namespace AgriChain.Domain.Market;

/// <summary>
/// A buyer's standing supply query: tell me when at least <see cref="MinQuantityKg"/> of a product at a grade at
/// least as good is free, optionally inside a region and only from lots without a cold event.
/// </summary>
[GenerateSerializer, Immutable, Alias("agrichain.watch-spec")]
public sealed record WatchSpec(
    [property: Id(0)] string BuyerId,
    [property: Id(1)] string Product,
    [property: Id(2)] string Grade,
    [property: Id(3)] decimal MinQuantityKg,
    [property: Id(4)] string? Village,
    [property: Id(5)] string? Township,
    [property: Id(6)] string? County,
    [property: Id(7)] bool ExcludeColdEvents)
{
    /// <summary>The supply the watch counts.</summary>
    public SupplyFilter Filter => new(Product, Grade, null, Village, Township, County, ExcludeColdEvents);
}

/// <summary>Where a watch stands after supply changed, and whether to tell the buyer.</summary>
public readonly record struct WatchStep(bool Satisfied, bool Notify);

public static class WatchRules
{
    /// <summary>
    /// A watch notifies once per crossing: when the free supply reaches the minimum after being below it. It stays
    /// quiet while supply stays at or above, and is armed again once supply falls below.
    /// </summary>
    public static WatchStep Step(bool wasSatisfied, decimal availableKg, decimal minQuantityKg)
    {
        var satisfied = availableKg >= minQuantityKg;
        return new WatchStep(satisfied, satisfied && !wasSatisfied);
    }
}
