using AgriChain.Contracts.Greenhouses;
using AgriChain.Server.Api.MasterData;
using Microsoft.Extensions.Localization;

namespace AgriChain.Server.Web.Live;

/// <summary>A greenhouse tile of the board, as rendered and as the live stream sends it (all text already in the page's language).</summary>
public sealed record Tile(string Id, string Name, string Crop, string Status, string StatusText, string Stage, string Temperature,
    string Humidity, string At)
{
    public static Tile From(GreenhouseView g, IStringLocalizer l, TimeZoneInfo zone, DateTimeOffset now) => new(
        g.Id,
        g.Profile.Name,
        $"{g.Profile.Crop} · {g.Profile.Variety}",
        WireNames.Of(g.Status),
        WebFormat.Status(l, g.Status),
        WebFormat.Stage(l, g.Stage),
        WebFormat.Celsius(g.Latest?.TemperatureC),
        WebFormat.Percent(g.Latest?.HumidityPct),
        WebFormat.When(g.Latest?.At, zone, now));
}
