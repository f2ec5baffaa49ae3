using AgriChain.Contracts.Greenhouses;
using AgriChain.Contracts.Market;
using AgriChain.Domain.Market;

namespace AgriChain.Grains.Market;

/// <summary>
/// One greenhouse's forecast as its forecast offers share it (<see cref="ForecastShares"/>: oldest offers keep their
/// kilograms longest). It reads the forecast from the greenhouse when an offer claims a share and when the
/// greenhouse says it may have changed, and tells every offer whose share changed, one-way: offers call this grain,
/// so it never waits on them.
/// </summary>
[GrainType("forecast-pool")]
public sealed class ForecastPoolGrain(
    [PersistentState("forecast-pool")] IPersistentState<ForecastPoolState> state) : Grain, IForecastPoolGrain
{
    /// <summary>Forecast offers of one greenhouse.</summary>
    public const int MaxClaims = 100;

    private ForecastPoolState S => state.State;

    private string GreenhouseId => this.GetPrimaryKeyString();

    public async Task<ForecastClaimResult> ClaimAsync(string offerId, decimal quantityKg)
    {
        var before = Snapshot();
        if (!await RefreshAsync())
        {
            return new ForecastClaimResult(false, 0, null, GreenhouseFound: false);
        }

        var granted = S.Claims.Exists(c => c.OfferId == offerId);
        var available = ForecastShares.Unclaimed(S.ForecastKg, S.Claims);
        if (!granted && quantityKg <= available && S.Claims.Count < MaxClaims)
        {
            S.Claims.Add(new ForecastClaim(offerId, quantityKg));
            granted = true;
        }

        await CommitAsync(before, except: offerId, force: granted);
        return new ForecastClaimResult(granted, available, granted ? Share(offerId) : null, GreenhouseFound: true);
    }

    public async Task ReleaseAsync(string offerId)
    {
        var before = Snapshot();
        if (S.Claims.RemoveAll(c => c.OfferId == offerId) > 0)
        {
            await CommitAsync(before, except: offerId, force: true);
        }
    }

    public async Task ForecastChangedAsync()
    {
        // Nothing shares this forecast: the next claim reads it fresh anyway.
        if (S.Claims.Count == 0)
        {
            return;
        }

        var before = Snapshot();
        await RefreshAsync();
        await CommitAsync(before, except: null, force: false);
    }

    public Task<ForecastPoolView> GetAsync() =>
        Task.FromResult(new ForecastPoolView(S.ForecastKg, S.ColdEvent, [.. S.Claims], S.Version));

    /// <summary>Reads the greenhouse's current forecast and whether its bloom saw cold; false when there is no greenhouse.</summary>
    private async Task<bool> RefreshAsync()
    {
        var yield = await GrainFactory.GetGrain<IGreenhouseGrain>(GreenhouseId).GetYieldAsync(null);
        if (yield is null)
        {
            return false;
        }

        S.ForecastKg = yield.Quantity?.ForecastKg ?? 0;
        S.ColdEvent = yield.ColdExposure.MinutesBelowFloor > 0;
        return true;
    }

    /// <summary>Writes when anything changed, then tells every other offer whose share changed.</summary>
    private async Task CommitAsync((IReadOnlyDictionary<string, decimal> Shares, decimal Forecast, bool Cold) before, string? except, bool force)
    {
        var after = ForecastShares.Grant(S.ForecastKg, S.Claims);
        var changed = S.Claims.Select(c => c.OfferId)
            .Where(id => id != except && (before.Cold != S.ColdEvent || before.Shares.GetValueOrDefault(id, -1) != after[id]))
            .ToList();
        if (!force && changed.Count == 0 && before.Forecast == S.ForecastKg && before.Cold == S.ColdEvent)
        {
            return;
        }

        S.Version++;
        await state.WriteStateAsync();
        foreach (var offerId in changed)
        {
            _ = GrainFactory.GetGrain<IOfferGrain>(offerId).ForecastChangedAsync(new ForecastShare(after[offerId], S.ColdEvent, S.Version));
        }
    }

    private (IReadOnlyDictionary<string, decimal> Shares, decimal Forecast, bool Cold) Snapshot() =>
        (ForecastShares.Grant(S.ForecastKg, S.Claims), S.ForecastKg, S.ColdEvent);

    private ForecastShare Share(string offerId) =>
        new(ForecastShares.Grant(S.ForecastKg, S.Claims).GetValueOrDefault(offerId), S.ColdEvent, S.Version);
}

[GenerateSerializer, Alias("agrichain.forecast-pool-state")]
public sealed class ForecastPoolState
{
    [Id(0)] public decimal ForecastKg { get; set; }
    [Id(1)] public bool ColdEvent { get; set; }

    /// <summary>Oldest first: the order in which shares are granted.</summary>
    [Id(2)] public List<ForecastClaim> Claims { get; set; } = [];
    [Id(3)] public long Version { get; set; }
}
