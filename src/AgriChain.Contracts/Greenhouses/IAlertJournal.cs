using AgriChain.Domain.Greenhouses;

namespace AgriChain.Contracts.Greenhouses;

/// <summary>
/// The durable history of alerts, one row per alert id, kept current by the greenhouse grains (an alert is written
/// when it opens, changes, closes or is acknowledged). Open alerts are also held by region rollups; this journal
/// answers history queries over any region without asking greenhouses.
/// </summary>
public interface IAlertJournal
{
    /// <summary>Inserts or replaces the alerts (by id), durably.</summary>
    Task UpsertAsync(IReadOnlyList<AlertRecord> alerts, CancellationToken cancellationToken = default);

    /// <summary>Removes alerts by id (an alert that a re-evaluation of late readings no longer produces).</summary>
    Task DeleteAsync(IReadOnlyList<string> alertIds, CancellationToken cancellationToken = default);

    /// <summary>One alert by id, or null.</summary>
    Task<AlertRecord?> GetAsync(string alertId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Alerts matching every given filter, newest opened first (ties by id), one page at a time: pass the
    /// returned token to continue; null when there is no more.
    /// </summary>
    Task<AlertPage> QueryAsync(AlertQuery query, CancellationToken cancellationToken = default);
}

/// <summary>An alert with the place of its greenhouse.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.alert-record")]
public sealed record AlertRecord([property: Id(0)] Alert Alert, [property: Id(1)] GreenhouseLocation Location);

/// <summary>Which alerts: null filters match everything. FarmIds, when given, restricts to those farms.</summary>
public sealed record AlertQuery(
    AlertStateFilter State,
    string? GreenhouseId = null,
    IReadOnlyList<string>? FarmIds = null,
    string? CooperativeId = null,
    string? Village = null,
    string? Township = null,
    string? County = null,
    int Limit = 100,
    string? PageToken = null);

public enum AlertStateFilter
{
    Open = 0,
    Closed = 1,
    All = 2,
}

public sealed record AlertPage(IReadOnlyList<AlertRecord> Items, string? NextPageToken);
