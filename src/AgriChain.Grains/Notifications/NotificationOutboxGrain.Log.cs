using Microsoft.Extensions.Logging;

namespace AgriChain.Grains.Notifications;

public sealed partial class NotificationOutboxGrain
{
    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Webhook {Owner}/{Webhook} did not take notification {NotificationId} ({Failure}); failure {Failures} in a row, retrying in {RetryIn}")]
    private static partial void LogAttemptFailed(ILogger logger, string owner, string webhook, string notificationId,
        string failure, int failures, TimeSpan retryIn);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Owner}/{Webhook} will not get {Count} notifications ({Reason})")]
    private static partial void LogDropped(ILogger logger, string owner, string webhook, long count, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sending to webhook {Owner}/{Webhook} failed unexpectedly")]
    private static partial void LogSendError(ILogger logger, Exception exception, string owner, string webhook);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing the outbox of {Owner} failed; it reloads from storage")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string owner);
}
