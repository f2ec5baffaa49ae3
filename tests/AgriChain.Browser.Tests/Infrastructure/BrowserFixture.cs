using AgriChain.Server.Demo;
using AgriChain.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AgriChain.Browser.Tests.Infrastructure;

/// <summary>
/// The built server started as its own process with <c>--demo</c> on a temporary SQLite file (so the pages show the
/// demo season, as a newcomer sees it), and one headless Chromium, Debian's, driven by Playwright. Each test opens its
/// own browser context (its own cookies) through <see cref="OpenAsync"/>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Debian's <c>chromium</c> package; Playwright never downloads a browser of its own here.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>The line the demo season prints once it is seeded and the keys are valid.</summary>
    public const string ReadyLine = "AgriChain demo season (Qijiahe township, Yuanqu county) is ready.";

    private static readonly TimeSpan StartDeadline = TimeSpan.FromMinutes(3);

    /// <summary>
    /// How long an action (a click, a navigation) and an expectation may wait, in milliseconds: generous, because the
    /// whole suite shares two cores; a test that passes never waits this long.
    /// </summary>
    private const float ActionTimeout = 30_000;
    private const float ExpectTimeout = 15_000;

    private static readonly string[] ChromiumArguments =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];

    private string? _dataDirectory;
    private ServerProcess? _server;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public Uri BaseAddress => Server.BaseAddress;

    public ServerProcess Server => _server ?? throw new InvalidOperationException("The server has not started.");

    private IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium has not started.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is missing: the page tests drive Debian's headless Chromium at {ChromiumPath}. " +
                "Install it with 'sudo apt-get install -y chromium' (tests/run.sh does this when it runs as root).");
        }

        try
        {
            _dataDirectory = Directory.CreateTempSubdirectory("agrichain-browser-").FullName;
            _server = ServerProcess.Start(_dataDirectory,
                "--environment=Development",
                $"--Auth:AdminKeys:0={DemoKeys.Admin}",
                $"--Storage:ConnectionString=Data Source={Path.Combine(_dataDirectory, "agrichain.db")}",
                DemoOptions.Switch,
                // The season stands still while the tests look at it; a reading a test logs stays the latest one.
                "--Demo:Simulate=false",
                // The live board re-reads its tiles every second, so a test sees a new reading arrive quickly.
                "--Web:BoardRefreshSeconds=1");

            // Chromium starts while the server seeds the season.
            Assertions.SetDefaultExpectTimeout(ExpectTimeout);
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ChromiumArguments,
            });

            await _server.WaitUntilReadyAsync(StartDeadline);
            await WaitForOutputAsync(ReadyLine);
            foreach (var key in DemoSeason.Keys.Select(k => k.Token).Append(DemoKeys.Admin))
            {
                Assert.True(_server.Output.Contains(key, StringComparison.Ordinal), $"The server did not print the key {key}:\n{_server.Output}");
            }
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A new browser context (no cookies) with one page, a phone-sized window and the browser language
    /// <paramref name="locale"/> (sent as Accept-Language).
    /// </summary>
    public async Task<BrowserSession> OpenAsync(ITestOutputHelper output, string locale = "en-US")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString().TrimEnd('/'),
            Locale = locale,
            ViewportSize = new ViewportSize { Width = 430, Height = 900 },
        });
        context.SetDefaultTimeout(ActionTimeout);
        var page = await context.NewPageAsync();
        return new BrowserSession(context, page, output);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
            _browser = null;
        }

        _playwright?.Dispose();
        _playwright = null;
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }

        if (_dataDirectory is not null && Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private async Task WaitForOutputAsync(string line)
    {
        var until = DateTime.UtcNow + StartDeadline;
        while (!Server.Output.Contains(line, StringComparison.Ordinal))
        {
            Assert.False(Server.HasExited, $"The server exited before printing '{line}':\n{Server.Output}");
            Assert.True(DateTime.UtcNow < until, $"The server did not print '{line}' within {StartDeadline}:\n{Server.Output}");
            await Task.Delay(50);
        }
    }
}
