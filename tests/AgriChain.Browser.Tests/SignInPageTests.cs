using System.Text.RegularExpressions;
using AgriChain.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AgriChain.Browser.Tests;

/// <summary>Signing in with each demo role's key, where each lands, and what a role may not open.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class SignInPageTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task Technician_SignsIn_AndSeesTheGreenhousesOfItsFarms()
    {
        await using var session = await browser.OpenAsync(output);
        var page = session.Page;

        await session.SignInAsync(DemoKeys.Technician);

        await Expect(page).ToHaveURLAsync(Root());
        await Expect(page.Locator("header .who")).ToHaveTextAsync("technician");
        await Expect(page.Locator("main h1")).ToHaveTextAsync("Greenhouses");
        // Jiwang park's four and Miaoping's two, nothing of the farms it does not work on.
        await Expect(page.Locator(".tiles a.tile")).ToHaveCountAsync(6);
        await Expect(page.Locator("#gh-miaoping-01")).ToBeVisibleAsync();
        await Expect(page.Locator("#gh-qijiahe-01")).ToHaveCountAsync(0);
        await Expect(page.Locator("header nav a[href='/supply']")).ToHaveCountAsync(0);
        await session.ScreenshotAsync("signin-technician-board");
    }

    [Fact]
    public async Task Cooperative_SignsIn_AndSeesOnlyItsOwnFarms()
    {
        await using var session = await browser.OpenAsync(output);
        var page = session.Page;

        await session.SignInAsync(DemoKeys.Qianping);

        await Expect(page).ToHaveURLAsync(Root());
        await Expect(page.Locator("header .who")).ToHaveTextAsync("cooperative");
        await Expect(page.Locator(".tiles a.tile")).ToHaveCountAsync(4);
        await Expect(page.Locator(".tiles a.tile").First).ToHaveIdAsync("gh-jiwang-01");
        await Expect(page.Locator("#gh-miaoping-01")).ToHaveCountAsync(0);
        await session.ScreenshotAsync("signin-cooperative-board");
    }

    [Fact]
    public async Task Buyer_SignsIn_AndLandsOnTheSupplyByVillage()
    {
        await using var session = await browser.OpenAsync(output);
        var page = session.Page;

        await session.SignInAsync(DemoKeys.Buyer);

        await Expect(page).ToHaveURLAsync(new Regex("/supply$"));
        await Expect(page.Locator("header .who")).ToHaveTextAsync("buyer");
        await Expect(page.Locator("tr[data-village]").First).ToBeVisibleAsync();
        await Expect(page.Locator("header nav a[href='/']")).ToHaveCountAsync(0);
        await session.ScreenshotAsync("signin-buyer-supply");
    }

    [Fact]
    public async Task Admin_SignsIn_AndPicksACooperativeForTheBoard()
    {
        await using var session = await browser.OpenAsync(output);
        var page = session.Page;

        await session.SignInAsync(DemoKeys.Admin);

        await Expect(page).ToHaveURLAsync(Root());
        await Expect(page.Locator("header .who")).ToHaveTextAsync("admin");
        await Expect(page.Locator(".tiles a.tile")).ToHaveCountAsync(0);
        await page.Locator("#cooperative").FillAsync("miaoping-coop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/\\?cooperative=miaoping-coop$"));
        await Expect(page.Locator(".tiles a.tile")).ToHaveCountAsync(2);
        await Expect(page.Locator("#gh-miaoping-02")).ToBeVisibleAsync();
        await session.ScreenshotAsync("signin-admin-board");
    }

    [Fact]
    public async Task WrongKey_StaysOnTheSignInPage_WithAnError()
    {
        await using var session = await browser.OpenAsync(output);
        var page = session.Page;
        await session.GotoAsync("/signin");

        await page.Locator("#key").FillAsync("agk_demo-technician.not-the-secret");
        var response = await page.RunAndWaitForResponseAsync(
            () => page.Locator("main form button[type=submit]").ClickAsync(), r => r.Url.EndsWith("/signin", StringComparison.Ordinal));

        Assert.Equal(400, response.Status);
        await Expect(page.Locator("#key-error")).ToHaveTextAsync("This key is not valid, or it has been revoked.");
        Assert.DoesNotContain(await session.Context.CookiesAsync(), c => c.Name == "agrichain.session");
        await session.ScreenshotAsync("signin-wrong-key");
    }

    [Fact]
    public async Task SignedOutVisitor_IsSentToSignIn_AndBackToThePageAfterwards()
    {
        await using var session = await browser.OpenAsync(output);
        var page = session.Page;

        await session.GotoAsync("/greenhouses/jiwang-03");
        await Expect(page).ToHaveURLAsync(new Regex("/signin\\?returnUrl=%2Fgreenhouses%2Fjiwang-03$"));
        await session.SignInAsync(DemoKeys.Technician);

        await Expect(page).ToHaveURLAsync(new Regex("/greenhouses/jiwang-03$"));
        await Expect(page.Locator("main h1")).ToContainTextAsync("Jiwang No. 3");
        var cookie = Assert.Single(await session.Context.CookiesAsync(), c => c.Name == "agrichain.session");
        Assert.True(cookie.HttpOnly, "The session cookie must be HTTP-only.");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(BrowserSession.SignInPage());
        await session.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(BrowserSession.SignInPage());
    }

    [Fact]
    public async Task Buyer_CannotOpenTheBoardOrAGreenhouse()
    {
        await using var session = await browser.OpenAsync(output);
        var page = session.Page;
        await session.SignInAsync(DemoKeys.Buyer);

        // The board's address shows a buyer a welcome, no tiles.
        await session.GotoAsync("/");
        await Expect(page.Locator("main h1")).ToHaveTextAsync("Welcome");
        await Expect(page.Locator("a.tile")).ToHaveCountAsync(0);

        // A greenhouse and its quick entry answer 403 with the "not allowed" page.
        foreach (var path in new[] { "/greenhouses/jiwang-03", "/greenhouses/jiwang-03/entry" })
        {
            var response = await session.GotoAsync(path);
            Assert.Equal(403, response.Status);
            await Expect(page.Locator("[data-problem='forbidden'] h1")).ToHaveTextAsync("Not allowed");
            await Expect(page.Locator("svg.chart")).ToHaveCountAsync(0);
            await Expect(page.Locator("#temperature")).ToHaveCountAsync(0);
        }

        await session.ScreenshotAsync("forbidden-buyer-greenhouse");
    }

    [Fact]
    public async Task Technician_CannotOpenAGreenhouseOfAnotherFarm()
    {
        await using var session = await browser.OpenAsync(output);
        var page = session.Page;
        await session.SignInAsync(DemoKeys.Technician);

        var response = await session.GotoAsync("/greenhouses/qijiahe-01");

        Assert.Equal(403, response.Status);
        await Expect(page.Locator("[data-problem='forbidden']")).ToBeVisibleAsync();
        await Expect(page.Locator("svg.chart")).ToHaveCountAsync(0);
    }

    [GeneratedRegex("^http://[^/]+/$")]
    private static partial Regex Root();
}
