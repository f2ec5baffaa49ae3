namespace AgriChain.Storage.Greenhouses;

/// <summary>
/// Bounds of the reading store's group commit. The defaults suit a silo on two cores; change them with
/// <c>services.Configure&lt;ReadingStoreOptions&gt;(...)</c> (benchmarks, tests).
/// </summary>
public sealed class ReadingStoreOptions
{
    /// <summary>
    /// How many readings one transaction takes at most. Appends are never split: one larger than this is written
    /// alone. Default: 50,000.
    /// </summary>
    public int MaxBatchReadings { get; set; } = 50_000;

    /// <summary>
    /// How many appends may wait for the writer; further callers wait (asynchronously) for room. Default: 1,024.
    /// </summary>
    public int MaxQueuedAppends { get; set; } = 1_024;
}
