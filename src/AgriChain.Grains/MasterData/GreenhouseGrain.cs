using AgriChain.Contracts.MasterData;
using AgriChain.Domain.Common;
using AgriChain.Grains.Diagnostics;
using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.MasterData;

namespace AgriChain.Grains.MasterData;

[GrainType("greenhouse")]
public sealed class GreenhouseGrain(
    [PersistentState("greenhouse")] IPersistentState<GreenhouseState> state,
    TimeProvider time,
    AgriChainInstruments instruments) : Grain, IGreenhouseGrain
{
    public async Task<UpsertResult<GreenhouseView>> PutAsync(GreenhouseProfile profile)
    {
        var decision = MasterDataRules.Decide(state.State.Profile, profile);
        if (decision.Outcome == UpsertOutcome.Conflict)
        {
            return UpsertResult.Refused<GreenhouseView>(decision.Outcome, decision.Field!, decision.Detail!);
        }

        var farm = GrainFactory.GetGrain<IFarmGrain>(profile.FarmId);
        if (decision.Outcome == UpsertOutcome.Created)
        {
            var farmView = await farm.GetAsync();
            if (farmView is null)
            {
                return UpsertResult.Refused<GreenhouseView>(UpsertOutcome.MissingReference, "farmId",
                    $"Farm '{profile.FarmId}' does not exist.");
            }

            if (farmView.GreenhouseIds.Count >= FarmGrain.MaxGreenhouses)
            {
                return UpsertResult.Refused<GreenhouseView>(UpsertOutcome.Conflict, "farmId",
                    $"Farm '{profile.FarmId}' already has {FarmGrain.MaxGreenhouses} greenhouses.");
            }

            // The farm's cooperative never changes, so the greenhouse keeps it for scope checks.
            state.State.CooperativeId = farmView.Profile.CooperativeId;
        }

        if (decision.Writes)
        {
            var now = time.GetUtcNow();
            state.State.CreatedAt = state.State.Profile is null ? now : state.State.CreatedAt;
            state.State.UpdatedAt = now;
            state.State.Profile = profile;
            await state.WriteStateAsync();
            instruments.MasterDataWritten("greenhouse");
        }

        // Always (re)register: a repeated PUT heals a crash between our write and the farm's.
        await farm.AddGreenhouseAsync(this.GetPrimaryKeyString());
        return new(decision.Outcome, View());
    }

    public Task<GreenhouseView?> GetAsync() => Task.FromResult(View());

    private GreenhouseView? View() => state.State.Profile is { } profile
        ? new GreenhouseView(this.GetPrimaryKeyString(), profile, state.State.CooperativeId, state.State.Stage,
            state.State.StageSince, state.State.CreatedAt, state.State.UpdatedAt)
        : null;
}

[GenerateSerializer, Alias("agrichain.greenhouse-state")]
public sealed class GreenhouseState
{
    [Id(0)] public GreenhouseProfile? Profile { get; set; }
    [Id(1)] public string CooperativeId { get; set; } = string.Empty;
    [Id(2)] public GrowthStage? Stage { get; set; }
    [Id(3)] public DateTimeOffset? StageSince { get; set; }
    [Id(4)] public DateTimeOffset CreatedAt { get; set; }
    [Id(5)] public DateTimeOffset UpdatedAt { get; set; }
}
