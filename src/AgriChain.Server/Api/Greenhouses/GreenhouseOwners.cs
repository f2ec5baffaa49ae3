using System.Collections.Concurrent;
using AgriChain.Contracts.Greenhouses;
using AgriChain.Domain.Access;

namespace AgriChain.Server.Api.Greenhouses;

/// <summary>
/// Which farm and cooperative each greenhouse belongs to, remembered by this process. A greenhouse never changes farm
/// and a farm never changes cooperative (both are refused as conflicts), so the scope check of every ingest request
/// needs the greenhouse grain only the first time. Unknown greenhouses are not remembered.
/// </summary>
public sealed class GreenhouseOwners(IGrainFactory grains)
{
    /// <summary>Beyond this many greenhouses the memory starts afresh rather than grow without bound.</summary>
    private const int Capacity = 200_000;

    private readonly ConcurrentDictionary<string, Owned> _owners = new(StringComparer.Ordinal);

    /// <summary>
    /// The greenhouse's farm and a reference to its grain (kept too: Orleans resolves a grain interface by reflection
    /// each time a reference is made), or null when the greenhouse does not exist.
    /// </summary>
    public async ValueTask<Owned?> FindAsync(string greenhouseId)
    {
        if (_owners.TryGetValue(greenhouseId, out var known))
        {
            return known;
        }

        var grain = grains.GetGrain<IGreenhouseGrain>(greenhouseId);
        var view = await grain.GetAsync();
        if (view is null)
        {
            return null;
        }

        if (_owners.Count >= Capacity)
        {
            _owners.Clear();
        }

        var owned = new Owned(new FarmRef(view.Profile.FarmId, view.CooperativeId), grain);
        _owners[greenhouseId] = owned;
        return owned;
    }

    /// <summary>A greenhouse's farm, and its grain.</summary>
    public sealed record Owned(FarmRef Farm, IGreenhouseGrain Grain);
}
