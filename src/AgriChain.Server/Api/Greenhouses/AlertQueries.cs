using System.Buffers.Text;
using System.Globalization;
using System.Text;
using AgriChain.Contracts.Greenhouses;
using AgriChain.Domain.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgriChain.Server.Api.Greenhouses;

/// <summary>Shared parsing and paging of alert queries.</summary>
public static class AlertQueries
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1_000;

    public static AlertStateFilter ParseState(string? state, FieldErrors errors)
    {
        switch (state)
        {
            case null or "open": return AlertStateFilter.Open;
            case "closed": return AlertStateFilter.Closed;
            case "all": return AlertStateFilter.All;
            default:
                errors.Add("state", "must be open, closed or all");
                return AlertStateFilter.Open;
        }
    }

    public static int ParseLimit(int? limit, FieldErrors errors)
    {
        if (limit is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"must be between 1 and {MaxLimit}");
        }

        return limit ?? DefaultLimit;
    }

    /// <summary>A journal query as a page; a page token the journal does not recognise is a 400 naming it.</summary>
    public static async Task<Results<Ok<Page<AlertResponse>>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> QueryJournalAsync(
        IAlertJournal journal, AlertQuery query, CancellationToken cancellationToken)
    {
        try
        {
            var page = await journal.QueryAsync(query, cancellationToken);
            return TypedResults.Ok(new Page<AlertResponse>(page.Items.Select(AlertResponse.From).ToList(), page.NextPageToken));
        }
        catch (ArgumentException)
        {
            return ApiResults.Invalid("pageToken", "is not a token this query returned");
        }
    }

    /// <summary>Pages an in-memory list with an offset token.</summary>
    public static Page<T>? PageOf<T>(IReadOnlyList<T> all, int limit, string? pageToken)
    {
        var offset = 0;
        if (pageToken is not null)
        {
            try
            {
                var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(pageToken));
                if (!text.StartsWith("o:", StringComparison.Ordinal)
                    || !int.TryParse(text.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out offset))
                {
                    return null;
                }
            }
            catch (FormatException)
            {
                return null;
            }
        }

        var items = all.Skip(offset).Take(limit).ToList();
        var next = offset + items.Count < all.Count
            ? Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"o:{(offset + items.Count).ToString(CultureInfo.InvariantCulture)}"))
            : null;
        return new Page<T>(items, next);
    }
}
