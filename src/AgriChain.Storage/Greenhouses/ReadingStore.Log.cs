using Microsoft.Extensions.Logging;

namespace AgriChain.Storage.Greenhouses;

public sealed partial class ReadingStore
{
    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "A reading batch of {AppendCount} appends ({ReadingCount} readings) failed; every caller in it gets the error")]
    private partial void LogBatchFailed(Exception exception, int appendCount, int readingCount);

    [LoggerMessage(EventId = 12, Level = LogLevel.Debug, Message = "The reading writer stopped")]
    private partial void LogWriterStopped();

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "The reading writer was stopped before it had written every queued append; those appends fail")]
    private partial void LogWriterAborted();
}
