using System.Text.Encodings.Web;
using AgriChain.Contracts.Access;
using AgriChain.Domain.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AgriChain.Server.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c>: configured admin keys first (digest compared in
/// constant time), then issued keys, which their grain verifies. Failures answer ProblemDetails.
/// </summary>
public sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AdminKeys adminKeys,
    ApiKeyGrains keys,
    IProblemDetailsService problems) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string AdminKeyActor = "admin-key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <api key>'.");
        }

        var token = header["Bearer ".Length..].Trim();
        if (adminKeys.Matches(token))
        {
            var admin = new KeyGrant(Role.Admin, [], null, null, "configured admin key");
            return Success(admin, AdminKeyActor);
        }

        if (!ApiKeyToken.TryParse(token, out var keyId, out var secret))
        {
            LogRejected(Logger, "malformed");
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        var grant = await keys.For(keyId).VerifyAsync(secret);
        if (grant is null)
        {
            LogRejected(Logger, keyId);
            return AuthenticateResult.Fail("The API key is not valid or has been revoked.");
        }

        return Success(grant, keyId);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        await WriteProblemAsync("Unauthorized", failure ?? "This endpoint needs an API key: 'Authorization: Bearer <api key>'.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return WriteProblemAsync("Forbidden", "This API key's role or scope does not allow this request.");
    }

    private Task WriteProblemAsync(string title, string detail) =>
        problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = Response.StatusCode, Title = title, Detail = detail },
        }).AsTask();

    private static AuthenticateResult Success(KeyGrant grant, string keyId) =>
        AuthenticateResult.Success(new AuthenticationTicket(AgriChainClaims.ToPrincipal(grant, keyId, SchemeName), SchemeName));

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected API key {KeyId}")]
    private static partial void LogRejected(ILogger logger, string keyId);
}
