using AgriChain.Domain.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace AgriChain.Server.Auth;

/// <summary>Policy names used by the endpoint groups.</summary>
public static class Policies
{
    /// <summary>Admins only.</summary>
    public const string Admin = "admin";

    /// <summary>Admins and cooperatives (master data, batches, runs, offers; scope checked per resource).</summary>
    public const string AdminOrCooperative = "admin-or-cooperative";
}

public static class AuthExtensions
{
    /// <summary>API-key authentication, the role policies, and a fallback that requires a key everywhere.</summary>
    public static IServiceCollection AddAgriChainAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<AuthOptions>, AuthOptionsValidator>();

        services.AddSingleton<ApiKeyGrains>();
        services.AddSingleton<AdminKeys>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Admin, p => p.RequireRole(RoleNames.Admin))
            .AddPolicy(Policies.AdminOrCooperative, p => p.RequireRole(RoleNames.Admin, RoleNames.Cooperative));
        return services;
    }
}
