using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using AgriChain.Server.Web.Components;
using AgriChain.Server.Web.Live;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AgriChain.Server.Web;

/// <summary>
/// The web pages for technicians, cooperatives and buyers: Razor components rendered on the server (no script but a
/// few lines for the board's live updates), a cookie session opened with an API key, Simplified Chinese and English.
/// </summary>
public static class WebSetup
{
    public const string Chinese = "zh-CN";
    public const string English = "en";

    /// <summary>The culture cookie the language switch writes.</summary>
    public const string CultureCookie = ".AgriChain.Culture";

    /// <summary>
    /// The Data Protection application name: the same on every silo whatever its content root, so that all of them
    /// read one another's session cookies and antiforgery tokens.
    /// </summary>
    public const string DataProtectionApplicationName = "AgriChain";

    private const string NonceItem = "agrichain.csp-nonce";

    /// <summary>The first path segments the pages own; everything else (the API, /trace, /docs…) is left alone.</summary>
    private static readonly string[] PagePrefixes =
        ["/signin", "/signout", "/culture", "/not-found", "/greenhouses", "/batches", "/runs", "/supply", "/live"];

    public static readonly CultureInfo[] Cultures = [new(Chinese), new(English)];

    public static WebApplicationBuilder AddAgriChainWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<WebOptions>().BindConfiguration(WebOptions.SectionName);
        services.AddRazorComponents();

        // Chinese text goes out as characters, not as numeric references three times its size.
        services.AddWebEncoders(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.AddWebAuth();

        // The session cookie and the antiforgery tokens are encrypted with a key ring kept in AgriChain's database
        // (shared by every silo and kept across restarts), stored there unencrypted: see DatabaseKeyRepository. The
        // silo loads it as it starts, after applying the schema and before the HTTP server takes requests.
        services.AddSingleton<DatabaseKeyRepository>();
        services.AddDataProtection().SetApplicationName(DataProtectionApplicationName);
        services.AddOptions<KeyManagementOptions>()
            .Configure<DatabaseKeyRepository>((o, repository) => o.XmlRepository = repository);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILifecycleParticipant<ISiloLifecycle>, KeyRingStartup>());
        services.AddSingleton<WebDirectory>();
        services.AddSingleton<BoardStream>();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "agrichain.antiforgery";
            o.Cookie.HttpOnly = true;
        });
        services.AddOptions<AntiforgeryOptions>()
            .Configure<IOptions<WebOptions>>((o, web) =>
            {
                // The token cookie is half of a pair checked against the form, not a credential: it follows the request's
                // scheme (the host itself speaks plain HTTP behind the proxy), unless Secure is switched off altogether.
                o.Cookie.SecurePolicy = web.Value.CookieSecure == CookieSecurePolicy.None ? CookieSecurePolicy.None : CookieSecurePolicy.SameAsRequest;
                o.Cookie.SameSite = SameSiteMode.Strict;
            });
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(Chinese);
            o.SupportedCultures = Cultures;
            o.SupportedUICultures = Cultures;
            o.FallBackToParentCultures = true;
            o.FallBackToParentUICultures = true;
            o.RequestCultureProviders =
            [
                new CookieRequestCultureProvider { CookieName = CultureCookie },
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
        return builder;
    }

    /// <summary>Language and security headers for the pages, then antiforgery (after authentication and authorization).</summary>
    public static WebApplication UseAgriChainWeb(this WebApplication app)
    {
        app.UseWhen(c => IsPage(c.Request.Path), page =>
        {
            page.UseRequestLocalization();
            page.Use((context, next) =>
            {
                var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
                context.Items[NonceItem] = nonce;
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy =
                    $"default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; script-src 'nonce-{nonce}'; " +
                    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "same-origin";
                headers.CacheControl = "no-store";
                return next(context);
            });
        });
        app.UseAntiforgery();
        return app;
    }

    /// <summary>The pages, the board's event stream, the language switch and sign-out.</summary>
    public static WebApplication MapAgriChainWeb(this WebApplication app)
    {
        app.MapRazorComponents<App>();
        app.MapGet("/live/board", (HttpContext context, BoardStream stream, string? cooperative) => stream.Open(context, cooperative))
            .RequireAuthorization(WebAuth.Policy).ExcludeFromDescription();
        app.MapGet("/batches/{id}/certificate", WebCertificate.GetAsync).RequireAuthorization(WebAuth.Policy).ExcludeFromDescription();
        app.MapGet("/favicon.ico", () => Results.NoContent()).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/culture", SwitchCulture).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/signout", SignOutAsync).RequireAuthorization(WebAuth.Policy).ExcludeFromDescription();
        return app;
    }

    /// <summary>The CSP nonce of this response, for the board's inline script.</summary>
    public static string? Nonce(HttpContext? context) => context?.Items[NonceItem] as string;

    /// <summary>True for paths the pages own: the root and the page prefixes.</summary>
    public static bool IsPage(PathString path) =>
        !path.HasValue || path.Value == "/" || PagePrefixes.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>A path of this site to return to; anything else (another host, a protocol-relative URL) becomes the board.</summary>
    public static string LocalPath(string? returnUrl) =>
        returnUrl is { Length: > 0 } && returnUrl[0] == '/' && (returnUrl.Length == 1 || (returnUrl[1] != '/' && returnUrl[1] != '\\'))
            ? returnUrl
            : "/";

    private static IResult SwitchCulture(HttpContext context, string? name, string? returnUrl)
    {
        var culture = name == English ? English : Chinese;
        context.Response.Cookies.Append(CultureCookie,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions
            {
                Expires = DateTimeOffset.UtcNow.AddYears(1),
                HttpOnly = true,
                IsEssential = true,
                SameSite = SameSiteMode.Lax,
                Secure = context.RequestServices.GetRequiredService<IOptions<WebOptions>>().Value.CookieSecure == CookieSecurePolicy.Always
                    || context.Request.IsHttps,
            });
        return Results.LocalRedirect(LocalPath(returnUrl));
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery)
    {
        // A page of ours posted it: another site cannot sign people out.
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Results.BadRequest();
        }

        await context.SignOutAsync(WebAuth.Scheme);
        return Results.LocalRedirect("/signin");
    }
}
