using Microsoft.Extensions.Options;

namespace AgriChain.Server.Auth;

/// <summary>Authentication settings, section <c>Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>
    /// Keys that act as <c>admin</c>, compared in constant time. Required outside Development (the host refuses to
    /// start without one); Development ships the documented local key in appsettings.Development.json.
    /// </summary>
    public List<string> AdminKeys { get; set; } = [];
}

/// <summary>Refuses to start without an admin key, except in Development; rejects weak keys everywhere else.</summary>
public sealed class AuthOptionsValidator(IHostEnvironment environment) : IValidateOptions<AuthOptions>
{
    public const int MinimumKeyLength = 24;

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        var keys = options.AdminKeys.Where(k => !string.IsNullOrEmpty(k)).ToList();
        if (keys.Count == 0 && !environment.IsDevelopment())
        {
            failures.Add($"Auth:AdminKeys must contain at least one key in the {environment.EnvironmentName} environment " +
                "(set Auth__AdminKeys__0 or --Auth:AdminKeys:0).");
        }

        if (!environment.IsDevelopment() && keys.Any(k => k.Length < MinimumKeyLength))
        {
            failures.Add($"Auth:AdminKeys entries must be at least {MinimumKeyLength} characters long.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
