using AgriChain.Contracts.MasterData;
using AgriChain.Domain.Common;
using AgriChain.Grains.Diagnostics;
using AgriChain.Domain.MasterData;

namespace AgriChain.Grains.MasterData;

[GrainType("farm")]
public sealed class FarmGrain(
    [PersistentState("farm")] IPersistentState<FarmState> state,
    TimeProvider time,
    AgriChainInstruments instruments) : Grain, IFarmGrain
{
    /// <summary>Greenhouses on one farm; the largest parks here have a few hundred.</summary>
    public const int MaxGreenhouses = 5_000;

    public async Task<UpsertResult<FarmView>> PutAsync(FarmProfile profile)
    {
        var decision = MasterDataRules.Decide(state.State.Profile, profile);
        if (decision.Outcome == UpsertOutcome.Conflict)
        {
            return UpsertResult.Refused<FarmView>(decision.Outcome, decision.Field!, decision.Detail!);
        }

        var cooperative = GrainFactory.GetGrain<ICooperativeGrain>(profile.CooperativeId);
        if (decision.Outcome == UpsertOutcome.Created && await cooperative.GetAsync() is null)
        {
            return UpsertResult.Refused<FarmView>(UpsertOutcome.MissingReference, "cooperativeId",
                $"Cooperative '{profile.CooperativeId}' does not exist.");
        }

        if (decision.Writes)
        {
            var now = time.GetUtcNow();
            state.State.CreatedAt = state.State.Profile is null ? now : state.State.CreatedAt;
            state.State.UpdatedAt = now;
            state.State.Profile = profile;
            await state.WriteStateAsync();
            instruments.MasterDataWritten("farm");
        }

        // Always (re)register: a repeated PUT heals a crash between our write and the cooperative's.
        await cooperative.AddFarmAsync(this.GetPrimaryKeyString());
        return new(decision.Outcome, View());
    }

    public Task<FarmView?> GetAsync() => Task.FromResult(View());

    public async Task AddGreenhouseAsync(string greenhouseId)
    {
        if (state.State.Profile is null)
        {
            throw new InvalidOperationException($"Farm '{this.GetPrimaryKeyString()}' does not exist.");
        }

        if (state.State.GreenhouseIds.Contains(greenhouseId))
        {
            return;
        }

        if (state.State.GreenhouseIds.Count >= MaxGreenhouses)
        {
            throw new InvalidOperationException($"Farm '{this.GetPrimaryKeyString()}' already has {MaxGreenhouses} greenhouses.");
        }

        state.State.GreenhouseIds.Add(greenhouseId);
        await state.WriteStateAsync();
    }

    private FarmView? View() => state.State.Profile is { } profile
        ? new FarmView(this.GetPrimaryKeyString(), profile, [.. state.State.GreenhouseIds],
            state.State.CreatedAt, state.State.UpdatedAt)
        : null;
}

[GenerateSerializer, Alias("agrichain.farm-state")]
public sealed class FarmState
{
    [Id(0)] public FarmProfile? Profile { get; set; }
    [Id(1)] public SortedSet<string> GreenhouseIds { get; set; } = new(StringComparer.Ordinal);
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
    [Id(3)] public DateTimeOffset UpdatedAt { get; set; }
}
