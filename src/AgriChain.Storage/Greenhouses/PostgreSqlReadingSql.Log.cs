using Microsoft.Extensions.Logging;

namespace AgriChain.Storage.Greenhouses;

internal sealed partial class PostgreSqlReadingSql
{
    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Reading partition {Partition} was not created (SQLSTATE {SqlState}); its rows go to the default partition or an existing one")]
    private partial void LogPartitionNotCreated(Exception exception, string partition, string sqlState);
}
