using AgriChain.Contracts.MasterData;
using AgriChain.Contracts.Traceability;
using AgriChain.Contracts.Yields;
using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.Traceability;
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

    /// <summary>Orchard and forest-plot harvest records kept for idempotency.</summary>
    public const int MaxHarvests = 5_000;

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
            await state.WriteProfileAsync(profile, time);
            instruments.MasterDataWritten("farm");
        }

        // Always (re)register: a repeated PUT heals a crash between our write and the cooperative's.
        await cooperative.AddFarmAsync(this.GetPrimaryKeyString());
        return new(decision.Outcome, View());
    }

    public Task<FarmView?> GetAsync() => Task.FromResult(View());

    public async Task<HarvestResult> RecordHarvestAsync(FarmHarvest harvest, string recordedBy)
    {
        if (state.State.Profile is not { } profile)
        {
            return new HarvestResult(HarvestOutcome.NotFound, 0);
        }

        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(profile.TimeZone, out var z) ? z : TimeZoneInfo.Utc;
        var season = YieldForecasts.Season(harvest.At, zone);
        if (state.State.Harvests.TryGetValue(harvest.Id, out var existing))
        {
            return existing == harvest
                ? new HarvestResult(HarvestOutcome.Unchanged, season)
                : new HarvestResult(HarvestOutcome.Conflict, season, "id", $"Harvest '{harvest.Id}' was recorded with other content.");
        }

        if (state.State.PendingHarvest is { } pending && pending.Id != harvest.Id)
        {
            await CompletePendingHarvestAsync(recordedBy);
        }

        // Intent first: a crash between the batch and our record is finished on the next activation.
        state.State.PendingHarvest = harvest;
        await state.WriteStateAsync();
        return await CompletePendingHarvestAsync(recordedBy) ?? new HarvestResult(HarvestOutcome.Created, season);
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.PendingHarvest is not null)
        {
            await CompletePendingHarvestAsync("recovery");
        }
    }

    private async Task<HarvestResult?> CompletePendingHarvestAsync(string recordedBy)
    {
        if (state.State.PendingHarvest is not { } harvest)
        {
            return null;
        }

        var profile = state.State.Profile!;
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(profile.TimeZone, out var z) ? z : TimeZoneInfo.Utc;
        var season = YieldForecasts.Season(harvest.At, zone);
        var spec = new BatchSpec(harvest.Product, harvest.Quantity, harvest.Unit, harvest.Grade, profile.CooperativeId,
            new BatchOrigin(this.GetPrimaryKeyString(), null, harvest.At, harvest.Plot));
        var created = await GrainFactory.GetGrain<IBatchGrain>(harvest.BatchId).CreateAsync(spec, recordedBy);
        state.State.PendingHarvest = null;
        if (created.Outcome == UpsertOutcome.Conflict)
        {
            await state.WriteStateAsync();
            return new HarvestResult(HarvestOutcome.Conflict, season, "batchId", $"Batch '{harvest.BatchId}' already exists with other content.");
        }

        state.State.Harvests[harvest.Id] = harvest;
        if (state.State.Harvests.Count > MaxHarvests)
        {
            state.State.Harvests.Remove(state.State.Harvests.Values.MinBy(h => h.At)!.Id);
        }

        await state.WriteStateAsync();
        return new HarvestResult(HarvestOutcome.Created, season);
    }

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
public sealed class FarmState : IProfileState<FarmProfile>
{
    [Id(0)] public FarmProfile? Profile { get; set; }
    [Id(1)] public SortedSet<string> GreenhouseIds { get; set; } = new(StringComparer.Ordinal);
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
    [Id(3)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(4)] public Dictionary<string, FarmHarvest> Harvests { get; set; } = new(StringComparer.Ordinal);
    [Id(5)] public FarmHarvest? PendingHarvest { get; set; }
}
