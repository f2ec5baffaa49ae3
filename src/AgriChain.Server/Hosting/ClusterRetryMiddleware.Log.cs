namespace AgriChain.Server.Hosting;

internal sealed partial class ClusterRetryMiddleware
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Route}: attempt {Attempt} failed with {Failure}; retrying in {DelayMs:F0} ms")]
    private static partial void LogRetrying(ILogger logger, string method, string route, int attempt, string failure, double delayMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Route} succeeded after {Retries} retries, {ElapsedMs:F0} ms after it arrived")]
    private static partial void LogRecovered(ILogger logger, string method, string route, int retries, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Route} answered 503: the cluster could not serve it in {Attempts} attempts within {ElapsedMs:F0} ms")]
    private static partial void LogGaveUp(ILogger logger, Exception exception, string method, string route, int attempts, double elapsedMs);
}
