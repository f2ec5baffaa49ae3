using Microsoft.Extensions.Logging;

namespace AgriChain.Grains.Processing;

public sealed partial class ProcessingRunGrain
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Processing run {RunId} started on {DefinitionId} version {Version}")]
    private static partial void LogStarted(ILogger logger, string runId, string definitionId, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Processing run {RunId}: step {Step} deviated on {Count} parameters; outputs on hold")]
    private static partial void LogDeviation(ILogger logger, string runId, string step, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Processing run {RunId} completed, yield {Ratio} per kg (flagged: {Flagged})")]
    private static partial void LogCompleted(ILogger logger, string runId, decimal ratio, bool flagged);

    [LoggerMessage(Level = LogLevel.Information, Message = "Processing run {RunId} abandoned (inputs returned: {Returned})")]
    private static partial void LogAbandoned(ILogger logger, string runId, bool returned);
}
