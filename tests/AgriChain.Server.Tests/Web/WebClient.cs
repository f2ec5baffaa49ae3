using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using AgriChain.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AgriChain.Server.Tests.Web;

/// <summary>
/// A browser-like client of the pages: https (so the Secure session cookie is kept and sent), cookies, no automatic
/// redirects (tests look at them), and helpers to read the antiforgery token of a page and post its forms.
/// </summary>
public sealed partial class WebClient : IDisposable
{
    private WebClient(HttpClient http) => Http = http;

    public HttpClient Http { get; }

    public static WebClient Open(AgriChainAppFactory app, string language = "en")
    {
        var http = app.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"),
            AllowAutoRedirect = false,
            HandleCookies = true,
        });
        http.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue(language));
        return new WebClient(http);
    }

    /// <summary>A signed-in client: asserts that the key opens a session and lands on a page of ours.</summary>
    public static async Task<WebClient> SignedInAsync(AgriChainAppFactory app, string key, string language = "en")
    {
        var client = Open(app, language);
        var response = await client.SignInAsync(key);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect,
            $"Sign-in answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return client;
    }

    public Task<HttpResponseMessage> SignInAsync(string key) =>
        PostFormAsync("/signin", "signin", new Dictionary<string, string> { ["Key"] = key });

    public async Task<(HttpStatusCode Status, string Html)> GetAsync(string path)
    {
        var response = await Http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Loads <paramref name="pagePath"/> for its antiforgery token, then posts the named form to it.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string pagePath, string formName, IDictionary<string, string> fields)
    {
        var (status, html) = await GetAsync(pagePath);
        Assert.True(status == HttpStatusCode.OK, $"GET {pagePath} answered {(int)status}: {html}");
        var token = TokenPattern().Match(html);
        Assert.True(token.Success, $"No antiforgery token on {pagePath}.");
        var form = new Dictionary<string, string>(fields)
        {
            ["_handler"] = formName,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        };
        return await Http.PostAsync(pagePath, new FormUrlEncodedContent(form));
    }

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
