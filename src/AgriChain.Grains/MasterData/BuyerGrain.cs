using AgriChain.Contracts.MasterData;
using AgriChain.Domain.Common;
using AgriChain.Grains.Diagnostics;
using AgriChain.Domain.MasterData;

namespace AgriChain.Grains.MasterData;

[GrainType("buyer")]
public sealed class BuyerGrain(
    [PersistentState("buyer")] IPersistentState<BuyerState> state,
    TimeProvider time,
    AgriChainInstruments instruments) : Grain, IBuyerGrain
{
    public async Task<UpsertResult<BuyerView>> PutAsync(BuyerProfile profile)
    {
        var decision = MasterDataRules.Decide(state.State.Profile, profile);
        if (decision.Writes)
        {
            await state.WriteProfileAsync(profile, time);
            instruments.MasterDataWritten("buyer");
        }

        return new(decision.Outcome, View());
    }

    public Task<BuyerView?> GetAsync() => Task.FromResult(View());

    private BuyerView? View() => state.State.Profile is { } profile
        ? new BuyerView(this.GetPrimaryKeyString(), profile, state.State.CreatedAt, state.State.UpdatedAt)
        : null;
}

[GenerateSerializer, Alias("agrichain.buyer-state")]
public sealed class BuyerState : IProfileState<BuyerProfile>
{
    [Id(0)] public BuyerProfile? Profile { get; set; }
    [Id(1)] public DateTimeOffset CreatedAt { get; set; }
    [Id(2)] public DateTimeOffset UpdatedAt { get; set; }
}
