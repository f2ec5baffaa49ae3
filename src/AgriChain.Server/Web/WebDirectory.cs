using AgriChain.Contracts.Greenhouses;
using AgriChain.Contracts.MasterData;
using AgriChain.Domain.Access;
using AgriChain.Domain.Common;

namespace AgriChain.Server.Web;

/// <summary>A farm with the greenhouses on it that the caller may read.</summary>
public sealed record FarmGreenhouses(FarmView Farm, IReadOnlyList<GreenhouseView> Greenhouses);

/// <summary>
/// Finds what a signed-in caller works with: a technician's farms, a cooperative's farms, or (for an admin, who has no
/// single scope) the farms of the cooperative the admin picks. Every answer is filtered by <see cref="Caller"/>.
/// </summary>
public sealed class WebDirectory(IGrainFactory grains)
{
    /// <summary>Farms shown on one board at most.</summary>
    public const int MaxFarms = 200;

    /// <summary>The cooperative whose farms the board shows: a cooperative's own; the admin's pick; none otherwise.</summary>
    public static string? BoardCooperative(Caller caller, string? picked) => caller.Role switch
    {
        Role.Cooperative => caller.CooperativeId,
        Role.Admin when ResourceId.IsValid(picked) => picked,
        _ => null,
    };

    /// <summary>The farms and greenhouses on the caller's board, farms in name order, greenhouses in name order.</summary>
    public async Task<IReadOnlyList<FarmGreenhouses>> BoardAsync(Caller caller, string? pickedCooperative)
    {
        IEnumerable<string> farmIds = [];
        if (caller.Role == Role.Technician)
        {
            farmIds = caller.FarmIds;
        }
        else if (BoardCooperative(caller, pickedCooperative) is { } cooperativeId)
        {
            var cooperative = await grains.GetGrain<ICooperativeGrain>(cooperativeId).GetAsync();
            farmIds = cooperative?.FarmIds ?? [];
        }

        var farms = await Task.WhenAll(farmIds.Take(MaxFarms).Select(id => grains.GetGrain<IFarmGrain>(id).GetAsync()));
        var readable = farms.OfType<FarmView>()
            .Where(f => caller.CanRead(new FarmRef(f.Id, f.Profile.CooperativeId)))
            .OrderBy(f => f.Profile.Name, StringComparer.Ordinal)
            .ToList();
        var result = new List<FarmGreenhouses>(readable.Count);
        foreach (var farm in readable)
        {
            var views = await Task.WhenAll(farm.GreenhouseIds.Select(id => grains.GetGrain<IGreenhouseGrain>(id).GetAsync()));
            result.Add(new FarmGreenhouses(farm, views.OfType<GreenhouseView>()
                .OrderBy(g => g.Profile.Name, StringComparer.Ordinal).ToList()));
        }

        return result;
    }

    /// <summary>A greenhouse and its farm if the caller may read it; why not otherwise.</summary>
    public async Task<Lookup<(GreenhouseView Greenhouse, FarmView? Farm)>> GreenhouseAsync(Caller caller, string? id)
    {
        var view = id is not null && ResourceId.IsValid(id) ? await grains.GetGrain<IGreenhouseGrain>(id).GetAsync() : null;
        if (view is null)
        {
            return Lookup<(GreenhouseView, FarmView?)>.Missing;
        }

        if (!caller.CanRead(new FarmRef(view.Profile.FarmId, view.CooperativeId)))
        {
            return Lookup<(GreenhouseView, FarmView?)>.Denied;
        }

        var farm = await grains.GetGrain<IFarmGrain>(view.Profile.FarmId).GetAsync();
        return new Lookup<(GreenhouseView, FarmView?)>((view, farm), LookupState.Found);
    }
}

public enum LookupState
{
    Found,
    NotFound,
    Forbidden,
}

/// <summary>A resource looked up for a page, or why there is none to show.</summary>
public sealed record Lookup<T>(T? Value, LookupState State)
{
    public static readonly Lookup<T> Missing = new(default, LookupState.NotFound);
    public static readonly Lookup<T> Denied = new(default, LookupState.Forbidden);
}
