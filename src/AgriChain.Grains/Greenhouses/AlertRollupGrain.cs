using AgriChain.Contracts.Greenhouses;

namespace AgriChain.Grains.Greenhouses;

/// <summary>
/// The open alerts of one scope. Kept in memory: the alert journal is the durable copy, and a fresh activation
/// loads the scope's open alerts from it, so the rollup needs no state of its own.
/// </summary>
[GrainType("alert-rollup")]
public sealed class AlertRollupGrain(IAlertJournal journal) : Grain, IAlertRollupGrain
{
    /// <summary>A scope with more open alerts than this has bigger problems than a long list.</summary>
    public const int MaxOpen = 10_000;

    private readonly Dictionary<string, AlertRecord> _open = new(StringComparer.Ordinal);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var query = QueryFor(this.GetPrimaryKeyString());
        while (_open.Count < MaxOpen)
        {
            var page = await journal.QueryAsync(query, cancellationToken);
            foreach (var record in page.Items)
            {
                _open[record.Alert.Id] = record;
            }

            if (page.NextPageToken is null)
            {
                break;
            }

            query = query with { PageToken = page.NextPageToken };
        }
    }

    public Task ApplyAsync(IReadOnlyList<AlertRecord> alerts)
    {
        foreach (var record in alerts)
        {
            if (record.Alert.IsOpen && (_open.Count < MaxOpen || _open.ContainsKey(record.Alert.Id)))
            {
                _open[record.Alert.Id] = record;
            }
            else
            {
                _open.Remove(record.Alert.Id);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AlertRecord>> GetOpenAsync() => Task.FromResult<IReadOnlyList<AlertRecord>>(
        _open.Values.OrderByDescending(r => r.Alert.OpenedAt).ThenBy(r => r.Alert.Id, StringComparer.Ordinal).ToList());

    private static AlertQuery QueryFor(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        var (scope, value) = colon < 0 ? (key, "") : (key[..colon], key[(colon + 1)..]);
        var open = new AlertQuery(AlertStateFilter.Open, Limit: 1000);
        return scope switch
        {
            "farm" => open with { FarmIds = [value] },
            "cooperative" => open with { CooperativeId = value },
            "village" => open with { Village = value },
            "township" => open with { Township = value },
            "county" => open with { County = value },
            _ => open,
        };
    }
}
