using System.Text.RegularExpressions;
using AgriChain.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AgriChain.Browser.Tests;

/// <summary>A batch's page: its lineage drawn as a graph, upstream on the left and downstream on the right.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class BatchPageTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const string Blend = "xbz-persimmon-wine-lot";
    private const string Wine = "xbz-wine-2026-001";

    [Fact]
    public async Task LineageGraph_DrawsWhereTheBlendCameFrom_AndWhatWasMadeOfIt()
    {
        await using var session = await browser.OpenAsync(output);
        var page = session.Page;
        await session.SignInAsync(DemoKeys.Xibeizhuang);

        await session.GotoAsync($"/batches/{Blend}");

        var graph = page.Locator("svg.lineage");
        await Expect(graph).ToBeVisibleAsync();
        // Upstream: the first lot, the part split off it for wine, the second lot; downstream: the wine.
        await Expect(Edge(graph, "xbz-persimmon-001", "xbz-persimmon-001-wine", "split")).ToHaveCountAsync(1);
        await Expect(Edge(graph, "xbz-persimmon-001-wine", Blend, "merge")).ToHaveCountAsync(1);
        await Expect(Edge(graph, "xbz-persimmon-002", Blend, "merge")).ToHaveCountAsync(1);
        await Expect(Edge(graph, Blend, Wine, "transform")).ToHaveCountAsync(1);
        var lot = await LeftOfAsync(graph, "xbz-persimmon-001");
        var part = await LeftOfAsync(graph, "xbz-persimmon-001-wine");
        var second = await LeftOfAsync(graph, "xbz-persimmon-002");
        var blend = await LeftOfAsync(graph, Blend);
        var wine = await LeftOfAsync(graph, Wine);
        Assert.True(lot < part && part < blend && second < blend && blend < wine,
            $"Generations are not drawn left to right: lot {lot}, part {part}, second lot {second}, blend {blend}, wine {wine}.");
        // The wine run's warm fermentation reached the blend as a deviation event.
        await Expect(page.Locator("tr[data-event-id] td:nth-child(2)")).ToContainTextAsync([Deviation()]);
        await session.ScreenshotAsync("batch-lineage-blend");

        // Each box opens its batch: the wine lot, traced back to the orchard and to its processing run.
        await graph.Locator($"a.node[data-batch-id='{Wine}']").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/batches/{Wine}$"));
        await Expect(page.Locator("main h1")).ToContainTextAsync("persimmon-wine");
        await Expect(page.Locator("svg.lineage a.node[data-batch-id='xbz-persimmon-002']")).ToHaveCountAsync(1);
        await Expect(page.Locator("li[data-origin-farm='xibeizhuang-orchard']").First).ToBeVisibleAsync();
        await Expect(page.Locator("[data-run='xbz-wine-run-2026-01'] a")).ToBeVisibleAsync();
        await session.ScreenshotAsync("batch-lineage-wine");
    }

    [Fact]
    public async Task LineageOnAPhone_OpensAtThePagesBatch_NotAtItsOldestAncestor()
    {
        await using var session = await browser.OpenAsync(output);
        var page = session.Page;
        await session.SignInAsync(DemoKeys.Xibeizhuang);

        // The wine is the newest generation: drawn at the far right of a graph wider than the phone's screen.
        await session.GotoAsync($"/batches/{Wine}");

        var view = await page.Locator("#lineage").BoundingBoxAsync();
        var wine = await page.Locator($"svg.lineage a.node[data-batch-id='{Wine}'] rect").BoundingBoxAsync();
        var oldest = await page.Locator("svg.lineage a.node[data-batch-id='xbz-persimmon-001'] rect").BoundingBoxAsync();
        Assert.True(view is not null && wine is not null && oldest is not null, "The lineage or its boxes are missing.");
        Assert.True(await page.Locator("#lineage").EvaluateAsync<bool>("b => b.scrollWidth > b.clientWidth"),
            "The graph fits the phone's screen; this test needs one wider than it.");
        Assert.True(wine.X >= view.X - 1 && wine.X + wine.Width <= view.X + view.Width + 1,
            $"The wine's box ({wine.X}..{wine.X + wine.Width}) is outside the visible lineage ({view.X}..{view.X + view.Width}).");
        Assert.True(oldest.X + oldest.Width < view.X || oldest.X > view.X + view.Width,
            "The oldest ancestor is still in view: the graph did not move to the page's batch.");
        await session.ScreenshotAsync("batch-lineage-phone");
    }

    private static ILocator Edge(ILocator graph, string from, string to, string kind) =>
        graph.Locator($"path.edge[data-from='{from}'][data-to='{to}'][data-kind='{kind}']");

    /// <summary>Where the batch's box is drawn, from the left of the page.</summary>
    private static async Task<float> LeftOfAsync(ILocator graph, string batchId)
    {
        var box = await graph.Locator($"a.node[data-batch-id='{batchId}'] rect").BoundingBoxAsync();
        Assert.True(box is not null, $"The lineage has no box for {batchId}.");
        return box.X;
    }

    [GeneratedRegex("^deviation$")]
    private static partial Regex Deviation();
}
