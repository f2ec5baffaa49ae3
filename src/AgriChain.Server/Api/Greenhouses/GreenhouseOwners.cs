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

    private readonly ConcurrentDictionary<string, FarmRef> _owners = new(StringComparer.Ordinal);

    /// <summary>The greenhouse's farm, or null when the greenhouse does not exist.</summary>
    public async ValueTask<FarmRef?> FindAsync(string greenhouseId)
    {
        if (_owners.TryGetValue(greenhouseId, out var known))
        {
            return known;
        }

        var view = await grains.GetGrain<IGreenhouseGrain>(greenhouseId).GetAsync();
        if (view is null)
        {
            return null;
        }

        if (_owners.Count >= Capacity)
        {
            _owners.Clear();
        }

        var farm = new FarmRef(view.Profile.FarmId, view.CooperativeId);
        _owners[greenhouseId] = farm;
        return farm;
    }
}
