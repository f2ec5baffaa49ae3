using AgriChain.Contracts.MasterData;
using AgriChain.Domain.Common;
using AgriChain.Grains.Diagnostics;
using AgriChain.Domain.MasterData;

namespace AgriChain.Grains.MasterData;

[GrainType("cooperative")]
public sealed class CooperativeGrain(
    [PersistentState("cooperative")] IPersistentState<CooperativeState> state,
    TimeProvider time,
    AgriChainInstruments instruments) : Grain, ICooperativeGrain
{
    /// <summary>A cooperative lists its farms; more than this is not a village cooperative.</summary>
    public const int MaxFarms = 10_000;

    public async Task<UpsertResult<CooperativeView>> PutAsync(CooperativeProfile profile)
    {
        var decision = MasterDataRules.Decide(state.State.Profile, profile);
        if (decision.Writes)
        {
            await state.WriteProfileAsync(profile, time);
            instruments.MasterDataWritten("cooperative");
        }

        return new(decision.Outcome, View());
    }

    public Task<CooperativeView?> GetAsync() => Task.FromResult(View());

    public async Task AddFarmAsync(string farmId)
    {
        if (state.State.Profile is null)
        {
            throw new InvalidOperationException($"Cooperative '{this.GetPrimaryKeyString()}' does not exist.");
        }

        if (state.State.FarmIds.Contains(farmId))
        {
            return;
        }

        if (state.State.FarmIds.Count >= MaxFarms)
        {
            throw new InvalidOperationException($"Cooperative '{this.GetPrimaryKeyString()}' already has {MaxFarms} farms.");
        }

        state.State.FarmIds.Add(farmId);
        await state.WriteStateAsync();
    }

    private CooperativeView? View() => state.State.Profile is { } profile
        ? new CooperativeView(this.GetPrimaryKeyString(), profile, [.. state.State.FarmIds],
            state.State.CreatedAt, state.State.UpdatedAt)
        : null;
}

[GenerateSerializer, Alias("agrichain.cooperative-state")]
public sealed class CooperativeState : IProfileState<CooperativeProfile>
{
    [Id(0)] public CooperativeProfile? Profile { get; set; }
    [Id(1)] public SortedSet<string> FarmIds { get; set; } = new(StringComparer.Ordinal);
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
    [Id(3)] public DateTimeOffset UpdatedAt { get; set; }
}
