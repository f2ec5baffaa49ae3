using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AgriChain.Browser.Tests.Infrastructure;
using AgriChain.Server.Demo;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AgriChain.Browser.Tests;

/// <summary>The greenhouse board: a tile per greenhouse coloured by status, and live updates without a reload.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class BoardPageTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task Board_ShowsTheColdGreenhouseInRed_AndTheOthersInGreen()
    {
        await using var session = await browser.OpenAsync(output);
        var page = session.Page;
        await session.SignInAsync(DemoKeys.Technician);

        var cold = page.Locator($"#gh-{DemoSeason.ColdGreenhouse}");
        await Expect(cold).ToHaveAttributeAsync("data-status", "alert");
        await Expect(cold).ToHaveClassAsync(AlertTile());
        await Expect(cold.Locator("[data-f='statusText']")).ToHaveTextAsync("Alert");
        await Expect(cold.Locator("[data-f='stage']")).ToHaveTextAsync("flowering");
        await Expect(cold.Locator("[data-f='temperature']")).ToHaveTextAsync(Celsius());
        // Red as the stylesheet draws an alert tile, not only a class name.
        await Expect(cold).ToHaveCSSAsync("border-left-color", "rgb(198, 40, 40)");
        await Expect(cold).ToHaveCSSAsync("background-color", "rgb(253, 236, 234)");

        var warm = page.Locator("#gh-jiwang-01");
        await Expect(warm).ToHaveAttributeAsync("data-status", "ok");
        await Expect(warm).ToHaveCSSAsync("border-left-color", "rgb(46, 125, 50)");
        await session.ScreenshotAsync("board-cold-night");

        await cold.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/greenhouses/{DemoSeason.ColdGreenhouse}$"));
        await Expect(page.Locator("main h1")).ToContainTextAsync("Jiwang No. 3");
    }

    [Fact]
    public async Task Board_ShowsANewReading_WithoutAReload()
    {
        await using var session = await browser.OpenAsync(output);
        var page = session.Page;
        await session.SignInAsync(DemoKeys.Technician);
        var temperature = page.Locator("#gh-jiwang-02 [data-f='temperature']");
        await Expect(temperature).ToHaveTextAsync(Celsius());
        var before = await temperature.TextContentAsync();
        var value = before == "21.4 °C" ? 21.6 : 21.4;
        // A mark on this very page: a reload or a navigation would lose it.
        await page.EvaluateAsync("() => { window.agrichainMark = 'same page'; }");

        // A sensor (here: the API with the technician's key) reports; the open board follows by itself.
        using var api = new HttpClient { BaseAddress = browser.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DemoKeys.Technician);
        using var response = await api.PostAsJsonAsync("/api/v1/greenhouses/jiwang-02/readings", new
        {
            readings = new[] { new { at = DateTimeOffset.UtcNow, temperatureC = value, humidityPct = 61.0, sensorId = "browser-test" } },
        });
        Assert.True(response.IsSuccessStatusCode, $"Recording the reading answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");

        await Expect(temperature).ToHaveTextAsync(string.Create(CultureInfo.InvariantCulture, $"{value:0.0} °C"));
        await Expect(page.Locator("#gh-jiwang-02 [data-f='humidity']")).ToHaveTextAsync("61 %");
        Assert.Equal("same page", await page.EvaluateAsync<string>("() => window.agrichainMark"));
        await session.ScreenshotAsync("board-live-update");
    }

    [GeneratedRegex("\\btile alert\\b")]
    private static partial Regex AlertTile();

    [GeneratedRegex("^-?\\d+\\.\\d °C$")]
    private static partial Regex Celsius();
}
