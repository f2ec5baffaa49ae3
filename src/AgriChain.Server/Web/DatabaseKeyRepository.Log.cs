namespace AgriChain.Server.Web;

internal sealed partial class DatabaseKeyRepository
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Stored web session key element {FriendlyName} in the database")]
    private static partial void LogStored(ILogger logger, string friendlyName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Web session key element {FriendlyName} was already stored; the stored one is kept")]
    private static partial void LogAlreadyStored(ILogger logger, string friendlyName);
}
