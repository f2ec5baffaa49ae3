namespace AgriChain.Benchmarks.Scenarios;

/// <summary>The scale-of-state baseline: a grain with no state and no activation work, keyed like a greenhouse.</summary>
[Alias("agrichain.benchmarks.no-op")]
public interface INoOpGrain : IGrainWithStringKey
{
    [Alias("ping")]
    Task<int> PingAsync();
}

internal sealed class NoOpGrain : Grain, INoOpGrain
{
    public Task<int> PingAsync() => Task.FromResult(1);
}
