using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using AgriChain.Contracts.Access;
using AgriChain.Domain.Access;
using AgriChain.Server.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace AgriChain.Server.Web;

/// <summary>
/// The web pages' session: an API key presented once on the sign-in page becomes an encrypted, HTTP-only cookie. The
/// cookie holds the key's id (never its secret); every request checks again that the key is still valid and takes
/// the role and scope from the key as it is now, so a revoked key ends its sessions at once, as it does for the API.
/// </summary>
public static class WebAuth
{
    /// <summary>The cookie scheme; the API keeps the bearer scheme as its default and never reads this cookie.</summary>
    public const string Scheme = "AgriChainWeb";

    /// <summary>The policy of every page: a signed-in session (role and scope are checked per resource, like the API).</summary>
    public const string Policy = "web-session";

    public const string CookieName = "agrichain.session";

    internal const string AdminDigestItem = "agrichain.admin-digest";
    internal const string AdminKeyId = "admin-key";

    public static void AddWebAuth(this IServiceCollection services)
    {
        services.AddSingleton<WebKeyVerifier>();
        services.AddAuthentication()
            .AddCookie(Scheme, _ => { });
        services.AddOptions<CookieAuthenticationOptions>(Scheme)
            .Configure<IOptions<WebOptions>>((o, web) =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SecurePolicy = web.Value.CookieSecure;
                o.Cookie.SameSite = web.Value.CookieSameSite;
                o.Cookie.IsEssential = true;
                o.LoginPath = "/signin";
                o.LogoutPath = "/signout";
                o.AccessDeniedPath = "/signin";
                o.ReturnUrlParameter = "returnUrl";
                o.ExpireTimeSpan = TimeSpan.FromHours(web.Value.SessionHours);
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = ValidateAsync;
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
    }

    /// <summary>Re-reads the key behind the session; a revoked or changed-away key ends the session.</summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var verifier = context.HttpContext.RequestServices.GetRequiredService<WebKeyVerifier>();
        var keyId = context.Principal?.FindFirstValue(AgriChainClaims.KeyId);
        context.Properties.Items.TryGetValue(AdminDigestItem, out var adminDigest);
        var grant = await verifier.RefreshAsync(keyId, adminDigest);
        if (grant is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
            return;
        }

        context.ReplacePrincipal(AgriChainClaims.ToPrincipal(grant, keyId!, Scheme));
    }
}

/// <summary>Checks keys for the sign-in page the way the API's bearer handler does, and re-checks sessions.</summary>
public sealed class WebKeyVerifier(IOptions<AuthOptions> authOptions, IGrainFactory grains)
{
    private readonly byte[][] _adminDigests = authOptions.Value.AdminKeys
        .Where(k => !string.IsNullOrEmpty(k))
        .Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k)))
        .ToArray();

    /// <summary>The session a key opens, or null when the key is not valid (unknown, malformed or revoked).</summary>
    public async Task<WebSession?> SignInAsync(string? key)
    {
        var token = key?.Trim();
        if (string.IsNullOrEmpty(token) || token.Length > 512)
        {
            return null;
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        if (IsAdminDigest(digest))
        {
            var admin = new KeyGrant(Role.Admin, [], null, null, "configured admin key");
            return new WebSession(admin, WebAuth.AdminKeyId, Convert.ToHexStringLower(digest));
        }

        if (!ApiKeyToken.TryParse(token, out var keyId, out var secret))
        {
            return null;
        }

        var grant = await grains.GetGrain<IApiKeyGrain>(keyId).VerifyAsync(secret);
        return grant is null ? null : new WebSession(grant, keyId, null);
    }

    /// <summary>The key's grant as it is now, or null when the session must end.</summary>
    public async Task<KeyGrant?> RefreshAsync(string? keyId, string? adminDigest)
    {
        if (keyId is null)
        {
            return null;
        }

        if (adminDigest is not null)
        {
            return keyId == WebAuth.AdminKeyId && IsAdminDigest(Convert.FromHexString(adminDigest))
                ? new KeyGrant(Role.Admin, [], null, null, "configured admin key")
                : null;
        }

        var view = await grains.GetGrain<IApiKeyGrain>(keyId).GetAsync();
        return view is { RevokedAt: null } ? view.Grant : null;
    }

    /// <summary>Signs the session in: an HTTP-only cookie that outlives a closed browser for the configured hours.</summary>
    public static Task SignInAsync(HttpContext context, WebSession session)
    {
        var properties = new AuthenticationProperties { IsPersistent = true };
        if (session.AdminDigest is not null)
        {
            properties.Items[WebAuth.AdminDigestItem] = session.AdminDigest;
        }

        return context.SignInAsync(WebAuth.Scheme, AgriChainClaims.ToPrincipal(session.Grant, session.KeyId, WebAuth.Scheme), properties);
    }

    private bool IsAdminDigest(byte[] digest)
    {
        if (digest.Length != SHA256.HashSizeInBytes)
        {
            return false;
        }

        var match = false;
        foreach (var candidate in _adminDigests)
        {
            match |= CryptographicOperations.FixedTimeEquals(digest, candidate);
        }

        return match;
    }
}

/// <summary>What a signed-in key may do; admins carry the digest of their configured key so removing it ends the session.</summary>
public sealed record WebSession(KeyGrant Grant, string KeyId, string? AdminDigest);
