using AgriChain.Contracts.Greenhouses;
using AgriChain.Domain.Greenhouses;

namespace AgriChain.Storage.Greenhouses;

/// <summary>One reading as it is written: the time already cut to whole UTC milliseconds.</summary>
internal readonly record struct ReadingRow(string SensorId, long AtMilliseconds, double TemperatureC, double? HumidityPct);

/// <summary>
/// One <see cref="IReadingStore.AppendAsync"/> call waiting for the writer: its readings, the sequence each got
/// (0 while not stored, and for duplicates), and the task its caller awaits.
/// </summary>
internal sealed class PendingAppend(string greenhouseId, ReadingRow[] readings, CancellationToken cancellationToken)
{
    /// <summary>Stored sequences start at 1, so 0 marks a reading that was not stored.</summary>
    public const long NotStored = 0;

    public string GreenhouseId { get; } = greenhouseId;

    public ReadingRow[] Readings { get; } = readings;

    /// <summary>Filled by the writer, one per reading.</summary>
    public long[] Sequences { get; } = new long[readings.Length];

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public TaskCompletionSource<AppendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Acknowledges the caller with what was stored, once the batch is committed.</summary>
    public void Complete()
    {
        var inserted = new List<StoredReading>(Readings.Length);
        var ordered = true;
        for (var i = 0; i < Readings.Length; i++)
        {
            var sequence = Sequences[i];
            if (sequence == NotStored)
            {
                continue;
            }

            ordered &= inserted.Count == 0 || inserted[^1].Sequence < sequence;
            var row = Readings[i];
            inserted.Add(new StoredReading(sequence, UtcTime.FromUnixMilliseconds(row.AtMilliseconds), row.TemperatureC, row.HumidityPct, row.SensorId));
        }

        if (!ordered)
        {
            inserted.Sort(static (left, right) => left.Sequence.CompareTo(right.Sequence));
        }

        Completion.TrySetResult(new AppendResult(inserted, Readings.Length - inserted.Count));
    }

    /// <summary>Forgets what the writer noted, after a batch that was rolled back.</summary>
    public void ResetSequences() => Array.Clear(Sequences);
}
