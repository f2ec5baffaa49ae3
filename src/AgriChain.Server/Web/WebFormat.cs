using System.Globalization;
using AgriChain.Contracts.Greenhouses;
using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.MasterData;
using AgriChain.Server.Api.MasterData;
using Microsoft.Extensions.Localization;

namespace AgriChain.Server.Web;

/// <summary>How the pages print numbers, times, stages and statuses for people.</summary>
public static class WebFormat
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById(FarmProfile.DefaultTimeZone);

    public static TimeZoneInfo Zone(string? timeZoneId) =>
        timeZoneId is not null && TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var zone) ? zone : Shanghai;

    public static string Celsius(double? value) =>
        value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:0.0} °C") : "—";

    public static string Percent(double? value) =>
        value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:0} %") : "—";

    public static string Number(decimal value) => value.ToString("#,0.##", CultureInfo.InvariantCulture);

    public static string Number(double value, int decimals = 1) =>
        Math.Round(value, decimals).ToString(decimals == 0 ? "#,0" : "#,0." + new string('#', decimals), CultureInfo.InvariantCulture);

    /// <summary>A moment in the farm's zone: time only for today, else with the date, else with the year.</summary>
    public static string When(DateTimeOffset? at, TimeZoneInfo zone, DateTimeOffset now)
    {
        if (at is not { } value)
        {
            return "—";
        }

        var local = TimeZoneInfo.ConvertTime(value, zone);
        var today = TimeZoneInfo.ConvertTime(now, zone);
        var format = local.Date == today.Date ? "HH:mm" : local.Year == today.Year ? "MM-dd HH:mm" : "yyyy-MM-dd HH:mm";
        return local.ToString(format, CultureInfo.InvariantCulture);
    }

    public static string Date(DateTimeOffset? at, TimeZoneInfo zone) =>
        at is { } value ? TimeZoneInfo.ConvertTime(value, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "—";

    /// <summary>The value of a <c>datetime-local</c> input for a moment in the farm's zone.</summary>
    public static string LocalInput(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    /// <summary>Reads a <c>datetime-local</c> value as a time in the farm's zone; null when it is not one.</summary>
    public static DateTimeOffset? ParseLocalInput(string? text, TimeZoneInfo zone)
    {
        if (string.IsNullOrWhiteSpace(text)
            || !DateTime.TryParseExact(text.Trim(), ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm"],
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return null;
        }

        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified));
    }

    /// <summary>A number typed on a phone: a decimal point or comma, surrounding blanks ignored.</summary>
    public static bool TryParseNumber(string? text, out double value)
    {
        value = 0;
        return !string.IsNullOrWhiteSpace(text)
            && double.TryParse(text.Trim().Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value);
    }

    public static string Stage(IStringLocalizer l, GrowthStage? stage) =>
        stage is { } s ? l[$"Stage.{WireNames.Of(s)}"] : l["Stage.none"];

    public static string Status(IStringLocalizer l, GreenhouseStatus status) => l[$"Status.{WireNames.Of(status)}"];

    public static string AlertKindText(IStringLocalizer l, AlertKind kind) => l[$"AlertKind.{WireNames.Of(kind)}"];
}
