using System.Globalization;
using AgriChain.Contracts.Epcis;
using AgriChain.Domain.Common;
using AgriChain.Domain.Epcis;
using Microsoft.Extensions.Primitives;

namespace AgriChain.Server.Api.Epcis;

/// <summary>
/// The simple event query's parameters as the EPCIS 2.0 REST binding names them. A parameter may repeat, and one value
/// may list several separated by commas; several values of one parameter match any of them, different parameters must
/// all match. A parameter this repository does not support is refused, never silently ignored.
/// </summary>
public static class EpcisQueryParameters
{
    public const int DefaultPerPage = 100;

    private static readonly Dictionary<string, EpcisIdRole[]> Matches = new(StringComparer.Ordinal)
    {
        ["MATCH_epc"] = [EpcisIdRole.Epc],
        ["MATCH_parentID"] = [EpcisIdRole.Parent],
        ["MATCH_inputEPC"] = [EpcisIdRole.Input],
        ["MATCH_outputEPC"] = [EpcisIdRole.Output],
        ["MATCH_anyEPC"] = [EpcisIdRole.Epc, EpcisIdRole.Parent, EpcisIdRole.Input, EpcisIdRole.Output],
        ["MATCH_epcClass"] = [EpcisIdRole.Class],
        ["MATCH_inputEPCClass"] = [EpcisIdRole.InputClass],
        ["MATCH_outputEPCClass"] = [EpcisIdRole.OutputClass],
        ["MATCH_anyEPCClass"] = [EpcisIdRole.Class, EpcisIdRole.InputClass, EpcisIdRole.OutputClass],
    };

    private static readonly HashSet<string> Lists = new(StringComparer.Ordinal)
    {
        "eventType", "EQ_action", "EQ_bizStep", "EQ_disposition", "EQ_readPoint", "EQ_bizLocation", "EQ_eventID",
    };

    private static readonly HashSet<string> Times = new(StringComparer.Ordinal)
    {
        "GE_eventTime", "LT_eventTime", "GE_recordTime", "LT_recordTime",
    };

    /// <summary>Every parameter name the query takes.</summary>
    public static IEnumerable<string> Supported =>
        Lists.Concat(Times).Concat(Matches.Keys).Concat(["EXISTS_errorDeclaration", "perPage", "nextPageToken"]).Order(StringComparer.Ordinal);

    public static EpcisEventQuery Parse(IQueryCollection parameters, string? scope, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(errors);
        foreach (var name in parameters.Keys.Where(n => !Lists.Contains(n) && !Times.Contains(n) && !Matches.ContainsKey(n)
                     && n is not ("EXISTS_errorDeclaration" or "perPage" or "nextPageToken")))
        {
            errors.Add(name, $"is not a query parameter this repository supports; it takes {string.Join(", ", Supported)}");
        }

        var actions = Values(parameters, "EQ_action");
        foreach (var action in actions ?? [])
        {
            if (action is not ("ADD" or "OBSERVE" or "DELETE"))
            {
                errors.Add("EQ_action", "must be ADD, OBSERVE or DELETE");
            }
        }

        var perPage = DefaultPerPage;
        if (parameters.TryGetValue("perPage", out var perPageText)
            && (!int.TryParse(perPageText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out perPage) || perPage is < 1 or > 1_000))
        {
            errors.Add("perPage", "must be a whole number from 1 to 1000");
        }

        var identifiers = Matches.Where(m => parameters.ContainsKey(m.Key))
            .Select(m => new IdentifierFilter(m.Value, Values(parameters, m.Key) ?? []))
            .Where(f => f.Values.Count > 0)
            .ToList();
        bool? errorDeclared = parameters.ContainsKey("EXISTS_errorDeclaration") ? true : null;
        var token = parameters.TryGetValue("nextPageToken", out var t) ? t.ToString() : null;
        return new EpcisEventQuery(
            scope,
            Values(parameters, "eventType"),
            Time(parameters, "GE_eventTime", errors),
            Time(parameters, "LT_eventTime", errors),
            Time(parameters, "GE_recordTime", errors),
            Time(parameters, "LT_recordTime", errors),
            actions,
            Values(parameters, "EQ_bizStep"),
            Values(parameters, "EQ_disposition"),
            Values(parameters, "EQ_readPoint"),
            Values(parameters, "EQ_bizLocation"),
            Values(parameters, "EQ_eventID"),
            errorDeclared,
            identifiers,
            perPage,
            string.IsNullOrEmpty(token) ? null : token);
    }

    private static List<string>? Values(IQueryCollection parameters, string name)
    {
        if (!parameters.TryGetValue(name, out StringValues values))
        {
            return null;
        }

        var list = values.SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? null : list;
    }

    private static DateTimeOffset? Time(IQueryCollection parameters, string name, FieldErrors errors)
    {
        if (!parameters.TryGetValue(name, out var value))
        {
            return null;
        }

        // A '+' left unencoded in a query string arrives as a space.
        var text = value.ToString().Replace(' ', '+');
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            && text.Contains('T', StringComparison.Ordinal))
        {
            return at.ToUniversalTime();
        }

        errors.Add(name, "must be an ISO 8601 date-time with an offset, such as 2025-03-10T22:00:00Z");
        return null;
    }
}
