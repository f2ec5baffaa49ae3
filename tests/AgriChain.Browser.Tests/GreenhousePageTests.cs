using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgriChain.Browser.Tests.Infrastructure;
using AgriChain.Server.Demo;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AgriChain.Browser.Tests;

/// <summary>A greenhouse's page: the server-drawn chart with the 10 °C floor and the cold night shaded, and its alerts.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class GreenhousePageTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const string ColdAlert = "rect.alert-interval[data-kind='temperature-below-floor']";

    [Fact]
    public async Task Chart_DrawsTheTenDegreeFloor_AndShadesTheColdNight()
    {
        await using var session = await browser.OpenAsync(output);
        var page = session.Page;
        await session.SignInAsync(DemoKeys.Technician);

        await session.GotoAsync($"/greenhouses/{DemoSeason.ColdGreenhouse}");

        var chart = page.Locator("svg.chart");
        await Expect(chart).ToBeVisibleAsync();
        await Expect(chart).ToHaveAttributeAsync("aria-label", "Temperature and humidity of Jiwang No. 3");
        var floor = chart.Locator("line.floor");
        await Expect(floor).ToHaveCountAsync(1);
        await Expect(floor).ToHaveAttributeAsync("data-celsius", "10");
        await Expect(chart.Locator("text.floor-label")).ToHaveTextAsync("floor 10 °C");
        await Expect(chart.Locator("line.ceiling")).ToHaveAttributeAsync("data-celsius", "25");
        var cold = chart.Locator(ColdAlert);
        await Expect(cold).ToHaveCountAsync(1);
        await Expect(chart.Locator("path.temperature")).ToHaveCountAsync(1);

        // The shaded interval is the greenhouse's open cold alert, listed below the chart.
        var alertId = await cold.GetAttributeAsync("data-alert-id");
        Assert.False(string.IsNullOrEmpty(alertId));
        var item = page.Locator($".alert-item[data-alert-id='{alertId}']");
        await Expect(item).ToHaveAttributeAsync("data-open", "true");
        await Expect(item.Locator("strong")).ToHaveTextAsync("Temperature below the floor");

        // As drawn: the band is wide, and the temperature curve goes under the floor line inside it (SVG y grows downwards).
        var geometry = await chart.EvaluateAsync<JsonElement>("""
            svg => {
              const band = svg.querySelector("rect.alert-interval[data-kind='temperature-below-floor']");
              const floor = svg.querySelector('line.floor');
              const curve = svg.querySelector('path.temperature');
              const x1 = band.x.baseVal.value, x2 = x1 + band.width.baseVal.value;
              const length = curve.getTotalLength();
              let lowestInBand = -Infinity, lowestOutside = -Infinity;
              for (let i = 0; i <= 2000; i++) {
                const p = curve.getPointAtLength(length * i / 2000);
                if (p.x >= x1 && p.x <= x2) { lowestInBand = Math.max(lowestInBand, p.y); }
                else { lowestOutside = Math.max(lowestOutside, p.y); }
              }
              return { x1, x2, floorY: floor.y1.baseVal.value, floorFrom: floor.x1.baseVal.value, floorTo: floor.x2.baseVal.value,
                       lowestInBand, lowestOutside, width: svg.viewBox.baseVal.width };
            }
            """);
        var x1 = geometry.GetProperty("x1").GetDouble();
        var x2 = geometry.GetProperty("x2").GetDouble();
        var floorY = geometry.GetProperty("floorY").GetDouble();
        Assert.True(x2 - x1 > 20, $"The cold night's band is {x2 - x1:0.#} units wide: {geometry}");
        // SVG lengths are single-precision floats: an open band ending at the chart's edge reads as x + width = 676.00002.
        const double Rounding = 0.01;
        Assert.True(geometry.GetProperty("floorFrom").GetDouble() <= x1 + Rounding && geometry.GetProperty("floorTo").GetDouble() >= x2 - Rounding,
            $"The floor line does not run across the cold night: {geometry}");
        Assert.True(geometry.GetProperty("lowestInBand").GetDouble() > floorY,
            $"The temperature curve stays above the floor inside the shaded interval: {geometry}");
        await cold.ScrollIntoViewIfNeededAsync();
        await session.ScreenshotAsync("greenhouse-chart-cold-night");
    }

    [Fact]
    public async Task Chart_ShowsAChosenRange()
    {
        await using var session = await browser.OpenAsync(output);
        var page = session.Page;
        await session.SignInAsync(DemoKeys.Technician);
        await session.GotoAsync($"/greenhouses/{DemoSeason.ColdGreenhouse}");
        var zone = TimeZoneInfo.FindSystemTimeZoneById(DemoSeason.TimeZone);
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).Date;

        // The week of the season: the day ticks are dates (MM-dd) rather than hours.
        await page.Locator("#from").FillAsync(today.AddDays(-6).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.Locator("#to").FillAsync(today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Show", Exact = true }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"from={today.AddDays(-6):yyyy-MM-dd}&to={today:yyyy-MM-dd}$"));
        var ticks = page.Locator("svg.chart text[text-anchor='middle']");
        await Expect(ticks.Filter(new() { HasTextRegex = TimeOfDay() })).ToHaveCountAsync(0);
        await Expect(ticks.Filter(new() { HasText = today.ToString("MM-dd", CultureInfo.InvariantCulture) })).ToHaveCountAsync(1);
        await Expect(page.Locator("svg.chart line.floor")).ToHaveAttributeAsync("data-celsius", "10");
        await Expect(page.Locator($"svg.chart {ColdAlert}")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task AcknowledgeButton_MarksTheAlertAcknowledged()
    {
        await using var session = await browser.OpenAsync(output);
        var page = session.Page;
        await session.SignInAsync(DemoKeys.Technician);
        await session.GotoAsync($"/greenhouses/{DemoSeason.ColdGreenhouse}");
        var alertId = await page.Locator($"svg.chart {ColdAlert}").GetAttributeAsync("data-alert-id");
        var item = page.Locator($".alert-item[data-alert-id='{alertId}']");
        await Expect(item.Locator("[data-f='acknowledged']")).ToHaveCountAsync(0);

        await item.Locator("input[name='Note']").FillAsync("Heater restarted at dawn");
        await item.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"/greenhouses/{DemoSeason.ColdGreenhouse}\\?acknowledged={Regex.Escape(alertId!)}#alerts$"));
        await Expect(page.Locator("p.notice")).ToHaveTextAsync("The alert is acknowledged.");
        var acknowledged = item.Locator("[data-f='acknowledged']");
        await Expect(acknowledged).ToContainTextAsync("Acknowledged by demo-technician at");
        await Expect(acknowledged).ToContainTextAsync("— Heater restarted at dawn");
        await Expect(item.Locator("form")).ToHaveCountAsync(0);
        // Acknowledged, not over: the greenhouse is still below its floor.
        await Expect(item).ToHaveAttributeAsync("data-open", "true");
        await item.ScrollIntoViewIfNeededAsync();
        await session.ScreenshotAsync("greenhouse-alert-acknowledged");

        // It stays so for the next visitor of the page.
        await session.GotoAsync($"/greenhouses/{DemoSeason.ColdGreenhouse}");
        await Expect(acknowledged).ToContainTextAsync("Heater restarted at dawn");
    }

    [GeneratedRegex("^\\d\\d:\\d\\d$")]
    private static partial Regex TimeOfDay();
}
