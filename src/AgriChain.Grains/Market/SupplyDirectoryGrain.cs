using AgriChain.Contracts.Market;

namespace AgriChain.Grains.Market;

/// <summary>The counties that have an index for one product, and the product's watches that name no county.</summary>
[GrainType("supply-directory")]
public sealed class SupplyDirectoryGrain(
    [PersistentState("supply-directory")] IPersistentState<SupplyDirectoryState> state) : Grain, ISupplyDirectoryGrain
{
    public const int MaxCounties = 5_000;
    public const int MaxWatches = 5_000;

    private SupplyDirectoryState S => state.State;

    private string Product => this.GetPrimaryKeyString();

    public async Task<IReadOnlyList<WatchSubscription>> AddPartitionAsync(string county)
    {
        if (!S.Counties.Contains(county))
        {
            if (S.Counties.Count >= MaxCounties)
            {
                throw new InvalidOperationException($"Product '{Product}' is offered in {MaxCounties} counties already.");
            }

            S.Counties.Add(county);
            await state.WriteStateAsync();
        }

        return [.. S.Watches.Values];
    }

    public Task<IReadOnlyList<string>> GetCountiesAsync() => Task.FromResult<IReadOnlyList<string>>([.. S.Counties]);

    public async Task SubscribeWatchAsync(WatchSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (!S.Watches.ContainsKey(subscription.WatchKey) && S.Watches.Count >= MaxWatches)
        {
            throw new InvalidOperationException($"Product '{Product}' has {MaxWatches} watches without a county already.");
        }

        S.Watches[subscription.WatchKey] = subscription;
        await state.WriteStateAsync();

        // One-way: an index may be calling us (registering) at this very moment.
        foreach (var county in S.Counties)
        {
            _ = Index(county).SubscribeWatchesAsync([subscription]);
        }
    }

    public async Task UnsubscribeWatchAsync(string watchKey)
    {
        if (!S.Watches.Remove(watchKey))
        {
            return;
        }

        await state.WriteStateAsync();
        foreach (var county in S.Counties)
        {
            _ = Index(county).UnsubscribeWatchAsync(watchKey);
        }
    }

    private ISupplyIndexGrain Index(string county) =>
        GrainFactory.GetGrain<ISupplyIndexGrain>(MarketKeys.SupplyPartition(Product, county));
}

[GenerateSerializer, Alias("agrichain.supply-directory-state")]
public sealed class SupplyDirectoryState
{
    [Id(0)] public SortedSet<string> Counties { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public Dictionary<string, WatchSubscription> Watches { get; set; } = new(StringComparer.Ordinal);
}
