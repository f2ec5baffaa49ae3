using System.Text.RegularExpressions;
using AgriChain.Browser.Tests.Infrastructure;
using AgriChain.Server.Demo;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AgriChain.Browser.Tests;

/// <summary>Simplified Chinese and English: chosen from the browser's language, switched with the header's links.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class LanguageTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task ChineseBrowser_GetsChinese_AndTheSwitchChangesTheStringsBothWays()
    {
        await using var session = await browser.OpenAsync(output, locale: "zh-CN");
        var page = session.Page;
        var html = page.Locator("html");
        var title = page.Locator("main h1");

        await session.GotoAsync("/signin");
        await Expect(html).ToHaveAttributeAsync("lang", "zh-CN");
        await Expect(title).ToHaveTextAsync("登录");
        await Expect(page.Locator("label[for='key']")).ToHaveTextAsync("API 密钥");
        await session.ScreenshotAsync("language-signin-zh");

        await page.Locator("header .lang a[lang='en']").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/signin$"));
        await Expect(html).ToHaveAttributeAsync("lang", "en");
        await Expect(title).ToHaveTextAsync("Sign in");
        await Expect(page.Locator("label[for='key']")).ToHaveTextAsync("API key");

        // The choice is kept: the board after signing in is in English too.
        await session.SignInAsync(DemoKeys.Technician);
        await Expect(title).ToHaveTextAsync("Greenhouses");
        var status = page.Locator($"#gh-{DemoSeason.ColdGreenhouse} [data-f='statusText']");
        await Expect(status).ToHaveTextAsync("Alert");
        await session.ScreenshotAsync("language-board-en");

        await page.Locator("header .lang a[lang='zh-CN']").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("^http://[^/]+/$"));
        await Expect(html).ToHaveAttributeAsync("lang", "zh-CN");
        await Expect(title).ToHaveTextAsync("温室看板");
        await Expect(status).ToHaveTextAsync("告警");
        await Expect(page.Locator("header nav a[href='/']")).ToHaveTextAsync("温室");
        await session.ScreenshotAsync("language-board-zh");

        // A page of another kind follows the same choice.
        await session.GotoAsync($"/greenhouses/{DemoSeason.ColdGreenhouse}");
        await Expect(page.Locator("svg.chart text.floor-label")).ToHaveTextAsync("下限 10 °C");
    }

    [Fact]
    public async Task EnglishBrowser_GetsEnglish()
    {
        await using var session = await browser.OpenAsync(output, locale: "en-GB");
        var page = session.Page;

        await session.GotoAsync("/signin");

        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page.Locator("main h1")).ToHaveTextAsync("Sign in");
        await Expect(page.Locator("header .lang a.on")).ToHaveTextAsync("English");
    }
}
