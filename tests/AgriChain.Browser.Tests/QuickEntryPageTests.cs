using System.Text.RegularExpressions;
using AgriChain.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AgriChain.Browser.Tests;

/// <summary>The technician's quick entry: a reading logged by hand for a greenhouse without a sensor (Miaoping No. 1).</summary>
[Collection(BrowserCollection.Name)]
public sealed class QuickEntryPageTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const string Greenhouse = "miaoping-01";

    [Fact]
    public async Task ReadingLoggedByHand_ShowsOnTheGreenhousePage_AndOnTheBoard()
    {
        await using var session = await browser.OpenAsync(output);
        var page = session.Page;
        await session.SignInAsync(DemoKeys.Technician);
        await session.GotoAsync($"/greenhouses/{Greenhouse}");
        var latest = page.Locator("dl.facts dt:text-is('Temperature') + dd");
        var before = await latest.TextContentAsync();
        var (typed, shown) = before == "23.7 °C" ? ("24.1", "24.1 °C") : ("23.7", "23.7 °C");

        await page.GetByRole(AriaRole.Link, new() { Name = "Quick entry" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/greenhouses/{Greenhouse}/entry$"));
        await session.ScreenshotAsync("entry-form");
        await page.Locator("#temperature").FillAsync(typed);
        await page.Locator("#humidity").FillAsync("64");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save reading" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"/greenhouses/{Greenhouse}/entry\\?saved=reading$"));
        await Expect(page.Locator("[data-f='saved']")).ToContainTextAsync($"Saved. Latest reading: {shown} at");
        await session.ScreenshotAsync("entry-reading-saved");

        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the greenhouse" }).ClickAsync();
        await Expect(latest).ToHaveTextAsync(shown);
        await Expect(page.Locator("dl.facts dt:text-is('Humidity') + dd")).ToHaveTextAsync("64 %");
        await session.ScreenshotAsync("entry-greenhouse-latest");

        await session.GotoAsync("/");
        await Expect(page.Locator($"#gh-{Greenhouse} [data-f='temperature']")).ToHaveTextAsync(shown);
        await Expect(page.Locator($"#gh-{Greenhouse} [data-f='humidity']")).ToHaveTextAsync("64 %");
    }

    [Fact]
    public async Task ReadingOutOfRange_IsRefused_WithTheReasonBesideTheField()
    {
        await using var session = await browser.OpenAsync(output);
        var page = session.Page;
        await session.SignInAsync(DemoKeys.Technician);
        await session.GotoAsync($"/greenhouses/{Greenhouse}/entry");

        await page.Locator("#temperature").FillAsync("99");
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Save reading" }).ClickAsync(),
            r => r.Request.Method == "POST");

        Assert.Equal(400, response.Status);
        await Expect(page.Locator("#temperature-error")).ToHaveTextAsync("Temperature must be between -50 and 70 °C.");
        await Expect(page.Locator("#temperature")).ToHaveClassAsync("invalid");
        await Expect(page.Locator("#temperature")).ToHaveValueAsync("99");
        await Expect(page.Locator("[data-f='saved']")).ToHaveCountAsync(0);
        await session.ScreenshotAsync("entry-out-of-range");
    }
}
