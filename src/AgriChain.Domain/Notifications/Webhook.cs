using AgriChain.Domain.Common;

namespace AgriChain.Domain.Notifications;

/// <summary>How a webhook wants its body.</summary>
[GenerateSerializer]
public enum WebhookKind
{
    /// <summary>The AgriChain JSON envelope <c>{id, type, at, data}</c>.</summary>
    Generic = 0,

    /// <summary>A WeChat Work (WeCom) group robot: <c>{"msgtype":"text","text":{"content":"..."}}</c>.</summary>
    WeCom = 1,
}

/// <summary>Wire names of <see cref="WebhookKind"/>.</summary>
public static class WebhookKindNames
{
    public const string Generic = "generic";
    public const string WeCom = "wecom";

    public static string ToName(this WebhookKind kind) => kind switch
    {
        WebhookKind.Generic => Generic,
        WebhookKind.WeCom => WeCom,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool TryParse(string? name, out WebhookKind kind)
    {
        switch (name)
        {
            case Generic: kind = WebhookKind.Generic; return true;
            case WeCom: kind = WebhookKind.WeCom; return true;
            default: kind = default; return false;
        }
    }
}

/// <summary>Where and how to deliver an owner's notifications: what a client configures under a webhook name.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.webhook-spec")]
public sealed record WebhookSpec(
    [property: Id(0)] string Url,
    [property: Id(1)] string Secret,
    [property: Id(2)] WebhookKind Kind)
{
    public const int MaxUrlLength = 2048;
    public const int MinSecretLength = 16;
    public const int MaxSecretLength = 256;

    /// <summary>
    /// Checks a client's webhook: an absolute http or https URL, a secret of 16 to 256 characters (kept exactly as
    /// given: it is the HMAC key), and a kind that defaults to <c>generic</c>. Errors are keyed by the JSON field.
    /// </summary>
    public static WebhookSpec? Validate(string? url, string? secret, string? kind, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            errors.Add("url", "is required");
        }
        else if (url.Length > MaxUrlLength)
        {
            errors.Add("url", $"must be at most {MaxUrlLength} characters");
        }
        else if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed)
            || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(parsed.Host))
        {
            errors.Add("url", "must be an absolute http or https URL");
        }

        if (string.IsNullOrEmpty(secret))
        {
            errors.Add("secret", "is required");
        }
        else if (secret.Length is < MinSecretLength or > MaxSecretLength)
        {
            errors.Add("secret", $"must be {MinSecretLength} to {MaxSecretLength} characters long");
        }
        else if (secret.Any(char.IsControl))
        {
            errors.Add("secret", "must not contain control characters");
        }

        var parsedKind = WebhookKind.Generic;
        if (kind is not null && !WebhookKindNames.TryParse(kind, out parsedKind))
        {
            errors.Add("kind", $"must be one of {WebhookKindNames.Generic}, {WebhookKindNames.WeCom}");
        }

        return errors.IsEmpty ? new WebhookSpec(url!, secret!, parsedKind) : null;
    }
}
