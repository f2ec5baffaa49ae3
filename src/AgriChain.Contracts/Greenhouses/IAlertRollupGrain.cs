using Orleans.Concurrency;
namespace AgriChain.Contracts.Greenhouses;

/// <summary>
/// The open alerts of one scope (key: <c>farm:{id}</c>, <c>cooperative:{id}</c>, <c>village:{name}</c>,
/// <c>township:{name}</c>, <c>county:{name}</c> or <c>all</c>), pushed by greenhouses as alerts open and close,
/// so region views never ask every greenhouse. Held in memory and rebuilt from the alert journal on activation.
/// </summary>
[Alias("agrichain.alert-rollup")]
public interface IAlertRollupGrain : IGrainWithStringKey
{
    /// <summary>Applies alert changes: open alerts are added or replaced, closed ones removed.</summary>
    [Alias("apply")]
    Task ApplyAsync(IReadOnlyList<AlertRecord> alerts);

    /// <summary>The open alerts, newest first.</summary>
    [Alias("open"), ReadOnly]
    Task<IReadOnlyList<AlertRecord>> GetOpenAsync();
}

/// <summary>Rollup keys.</summary>
public static class AlertRollupKeys
{
    public const string All = "all";

    public static string Farm(string farmId) => $"farm:{farmId}";

    public static string Cooperative(string cooperativeId) => $"cooperative:{cooperativeId}";

    public static string Village(string village) => $"village:{village}";

    public static string Township(string township) => $"township:{township}";

    public static string County(string county) => $"county:{county}";

    /// <summary>Every rollup an alert of this greenhouse belongs to.</summary>
    public static IEnumerable<string> For(Domain.Greenhouses.GreenhouseLocation location) =>
    [
        All,
        Farm(location.FarmId),
        Cooperative(location.CooperativeId),
        Village(location.Region.Village),
        Township(location.Region.Township),
        County(location.Region.County),
    ];
}
