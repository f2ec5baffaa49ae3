using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AgriChain.Browser.Tests.Infrastructure;

/// <summary>One test's browser: its own context (cookies), one page, sign-in through the form, and screenshots.</summary>
public sealed partial class BrowserSession(IBrowserContext context, IPage page, ITestOutputHelper output) : IAsyncDisposable
{
    public IBrowserContext Context { get; } = context;

    public IPage Page { get; } = page;

    /// <summary>Opens a path of the site and answers the response (the last one, after redirects).</summary>
    public async Task<IResponse> GotoAsync(string path)
    {
        var response = await Page.GotoAsync(path);
        Assert.True(response is not null, $"Opening {path} gave no response.");
        return response;
    }

    /// <summary>
    /// Signs in with <paramref name="key"/> on the sign-in form, as a person would (the form of <c>main</c>: the header
    /// has a sign-out form when signed in), and waits until the browser has left the sign-in page.
    /// </summary>
    public async Task SignInAsync(string key)
    {
        if (!SignInPage().IsMatch(Page.Url))
        {
            await GotoAsync("/signin");
        }

        await Page.Locator("#key").FillAsync(key);
        await Page.Locator("main form button[type=submit]").ClickAsync();
        await Expect(Page).Not.ToHaveURLAsync(SignInPage());
    }

    /// <summary>
    /// Saves a PNG of the whole page under the artifact folder and prints where. Every page kept so is also checked
    /// for a string missing from the resource files (the localizer then shows its key, such as <c>EventType.held</c>).
    /// </summary>
    public async Task ScreenshotAsync(string name)
    {
        var path = Path.Combine(Screenshots.Directory, $"{name}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"Screenshot: {path}");
        var text = await Page.Locator("body").InnerTextAsync();
        var missing = ResourceKeys.Pattern.Matches(text).Select(m => m.Value).Distinct(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"{Page.Url} shows resource keys instead of text: {string.Join(", ", missing)}");
    }

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();

    [GeneratedRegex("/signin(\\?|$)")]
    public static partial Regex SignInPage();
}

/// <summary>Where the screenshots go: <c>AGRICHAIN_ARTIFACTS</c> when set (tests/run.sh sets it), else next to the tests.</summary>
public static class Screenshots
{
    public const string Variable = "AGRICHAIN_ARTIFACTS";

    public static string Directory { get; } = Create();

    private static string Create()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        var directory = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(AppContext.BaseDirectory, "artifacts", "screenshots")
            : Path.GetFullPath(configured);
        return System.IO.Directory.CreateDirectory(directory).FullName;
    }
}

/// <summary>What a resource key of the pages looks like: one of the resource file's key prefixes, a dot, a name.</summary>
public static class ResourceKeys
{
    public static Regex Pattern { get; } = Build();

    private static Regex Build()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "AgriChain.sln")))
        {
            root = root.Parent;
        }

        Assert.True(root is not null, $"No AgriChain.sln above {AppContext.BaseDirectory}.");
        var resx = Path.Combine(root.FullName, "src", "AgriChain.Server", "Resources", "Web.WebText.resx");
        var prefixes = XDocument.Load(resx).Root!.Elements("data")
            .Select(d => d.Attribute("name")!.Value.Split('.')[0])
            .Distinct(StringComparer.Ordinal)
            .Select(Regex.Escape);
        return new Regex($@"\b(?:{string.Join('|', prefixes)})\.[A-Za-z][\w-]*", RegexOptions.CultureInvariant);
    }
}
