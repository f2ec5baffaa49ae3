using System.Text.Json;

namespace AgriChain.Domain.Notifications;

/// <summary>What one delivery attempt came to.</summary>
public readonly record struct DeliveryVerdict(bool Delivered, string? Failure)
{
    public static readonly DeliveryVerdict Success = new(true, null);

    public static DeliveryVerdict Failed(string reason) => new(false, reason);
}

/// <summary>
/// When a webhook delivery counts as done, when to try again and when to give up. A receiver that answers 2xx has
/// the notification; anything else (another status, a network error, no answer within <see cref="RequestTimeout"/>)
/// is retried after <see cref="RetryDelay"/>, until the notification has been queued for <see cref="MaxAge"/>.
/// </summary>
public static class DeliveryPolicy
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);

    /// <summary>Each delay is shortened by up to this fraction at random, so failed receivers are not hit in step.</summary>
    public const double Jitter = 0.2;

    /// <summary>
    /// The wait after <paramref name="consecutiveFailures"/> failed attempts in a row: 10 s, 20 s, 40 s … doubling up to
    /// 10 min, each shortened by <see cref="Jitter"/> × <paramref name="random"/> (a number in [0, 1)). The jitter only
    /// shortens, so the nominal delay is an upper bound.
    /// </summary>
    public static TimeSpan RetryDelay(int consecutiveFailures, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(consecutiveFailures, 1);
        var doublings = Math.Min(consecutiveFailures - 1, 20);
        var nominal = Math.Min(FirstRetryDelay.TotalSeconds * Math.Pow(2, doublings), MaxRetryDelay.TotalSeconds);
        return TimeSpan.FromSeconds(nominal * (1 - (Jitter * Math.Clamp(random, 0, 1))));
    }

    /// <summary>True once a notification queued at <paramref name="queuedAt"/> is too old to deliver.</summary>
    public static bool IsExpired(DateTimeOffset queuedAt, DateTimeOffset now) => now - queuedAt >= MaxAge;

    /// <summary>
    /// Judges a receiver's answer. A WeCom robot answers HTTP 200 even when it refuses a message (rate limit, bad
    /// key) and says so in <c>errcode</c>; a non-zero errcode is a failure to retry.
    /// </summary>
    public static DeliveryVerdict Judge(WebhookKind kind, int statusCode, string? body)
    {
        if (statusCode is < 200 or > 299)
        {
            return DeliveryVerdict.Failed($"http {statusCode}");
        }

        if (kind == WebhookKind.WeCom && WeComErrorCode(body) is { } code and not 0)
        {
            return DeliveryVerdict.Failed($"wecom errcode {code}");
        }

        return DeliveryVerdict.Success;
    }

    private static long? WeComErrorCode(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("errcode", out var code)
                && code.TryGetInt64(out var value) ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
