using AgriChain.Domain.Greenhouses;
using Orleans.Concurrency;

namespace AgriChain.Contracts.Greenhouses;

/// <summary>A crop's profile (key: crop id): the built-in one until an admin stores its own version.</summary>
[Alias("agrichain.crop-profile-grain")]
public interface ICropProfileGrain : IGrainWithStringKey
{
    /// <summary>The profile in force, or null for a crop AgriChain knows nothing about.</summary>
    [Alias("get"), ReadOnly]
    Task<CropProfile?> GetAsync();

    /// <summary>Stores a new version (the version number is assigned here). Same content again changes nothing.</summary>
    [Alias("put")]
    Task<CropProfile> PutAsync(CropProfile profile);
}
