using Microsoft.Extensions.Logging;

namespace AgriChain.Storage;

public sealed partial class AgriChainDatabase
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Applying {ScriptCount} {Provider} schema scripts")]
    private partial void LogApplyingSchema(StorageProvider provider, int scriptCount);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Applied {Provider} schema script {Script}")]
    private partial void LogAppliedScript(StorageProvider provider, string script);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Applied {ScriptCount} {Provider} schema scripts in {ElapsedMilliseconds:F0} ms")]
    private partial void LogSchemaApplied(StorageProvider provider, int scriptCount, double elapsedMilliseconds);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "{Provider} database did not answer the ping")]
    private partial void LogPingFailed(Exception exception, StorageProvider provider);
}
