using AgriChain.Browser.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AgriChain.Browser.Tests;

/// <summary>The public trace page behind a label's QR code, opened by a stranger's phone: no key, nothing commercial.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PublicTracePageTests(BrowserFixture browser, ITestOutputHelper output)
{
    /// <summary>What a stranger must never read there: buyers (names and ids) and prices.</summary>
    private static readonly string[] Commercial =
    [
        "Taiyuan Fine Wines", "taiyuan-wine", "Yuncheng Fresh Market", "yuncheng-fresh",
        "¥", "￥", "元/", "价格", "单价", "price", "/kg",
    ];

    [Theory]
    [InlineData("xbz-wine-2026-001", "persimmon-wine", "Xibeizhuang Persimmon Orchard")]
    [InlineData("qjh-nectarine-001", "nectarine", "Qijiahe Riverside Greenhouses")]
    public async Task TracePage_WithoutAKey_ShowsTheOrigin_AndNoPricesOrBuyers(string batchId, string product, string farm)
    {
        await using var session = await browser.OpenAsync(output, locale: "zh-CN");
        var page = session.Page;
        Assert.Empty(await session.Context.CookiesAsync());

        var response = await session.GotoAsync($"/trace/{batchId}");

        Assert.Equal(200, response.Status);
        Assert.EndsWith($"/trace/{batchId}", page.Url, StringComparison.Ordinal);
        await Expect(page.Locator("h1")).ToHaveTextAsync(product);
        await Expect(page.Locator("p.kicker")).ToHaveTextAsync("产品溯源 · Product trace");
        await Expect(page.Locator("code").First).ToHaveTextAsync(batchId);
        await Expect(page.Locator("body")).ToContainTextAsync(farm);
        var text = await page.Locator("body").InnerTextAsync();
        var html = await page.ContentAsync();
        foreach (var word in Commercial)
        {
            Assert.False(text.Contains(word, StringComparison.OrdinalIgnoreCase), $"The public page of {batchId} shows '{word}':\n{text}");
            Assert.False(html.Contains(word, StringComparison.OrdinalIgnoreCase), $"The public page of {batchId} carries '{word}' in its HTML.");
        }

        Assert.Empty(await session.Context.CookiesAsync());
        await session.ScreenshotAsync($"trace-{batchId}");
    }
}
