using AgriChain.Contracts.Greenhouses;
using AgriChain.Domain.Greenhouses;

namespace AgriChain.Grains.Greenhouses;

/// <summary>A crop's profile: the built-in one until an admin stores a version of its own.</summary>
[GrainType("crop-profile")]
public sealed class CropProfileGrain(
    [PersistentState("crop-profile")] IPersistentState<CropProfileState> state) : Grain, ICropProfileGrain
{
    public Task<CropProfile?> GetAsync() =>
        Task.FromResult(state.State.Profile ?? BuiltInCropProfiles.Find(this.GetPrimaryKeyString()));

    public async Task<CropProfile> PutAsync(CropProfile profile)
    {
        var current = state.State.Profile ?? BuiltInCropProfiles.Find(this.GetPrimaryKeyString());
        if (current is not null && SameContent(current, profile))
        {
            return current;
        }

        state.State.Profile = profile with { Crop = this.GetPrimaryKeyString(), Version = (current?.Version ?? 0) + 1 };
        await state.WriteStateAsync();
        return state.State.Profile;
    }

    private static bool SameContent(CropProfile a, CropProfile b) =>
        a.TargetYieldKgPerMu == b.TargetYieldKgPerMu
        && a.DaysBloomToHarvest == b.DaysBloomToHarvest
        && a.SilentAfterMinutes == b.SilentAfterMinutes
        && a.YieldModel == b.YieldModel
        && (a.HarvestStages ?? []).SequenceEqual(b.HarvestStages ?? [])
        && a.Stages.Count == b.Stages.Count
        && a.Stages.All(s => b.Stages.TryGetValue(s.Key, out var other) && other == s.Value);
}

[GenerateSerializer, Alias("agrichain.crop-profile-state")]
public sealed class CropProfileState
{
    [Id(0)] public CropProfile? Profile { get; set; }
}
