using AgriChain.Domain.Greenhouses;

namespace AgriChain.Contracts.Greenhouses;

/// <summary>
/// The append-only time series of greenhouse readings: the log that greenhouse grains replay after their
/// watermark. One instance per silo; appends from all greenhouses are group-committed together.
/// </summary>
public interface IReadingStore
{
    /// <summary>
    /// Appends <paramref name="readings"/> of one greenhouse and completes only when they are durable. A reading
    /// with the same greenhouse, sensor and time as a stored one is a duplicate and is not stored again. The result
    /// lists the readings that were new, each with its sequence number (increasing in append order).
    /// </summary>
    Task<AppendResult> AppendAsync(string greenhouseId, IReadOnlyList<Reading> readings, CancellationToken cancellationToken = default);

    /// <summary>Raw readings with <paramref name="from"/> &lt;= at &lt; <paramref name="to"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<StoredReading>> ReadAsync(string greenhouseId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Readings with from &lt;= at &lt; to summarised per bucket of <paramref name="width"/> (buckets aligned to UTC
    /// minute, hour or day boundaries), oldest first, empty buckets left out.
    /// </summary>
    Task<IReadOnlyList<ReadingBucket>> ReadBucketsAsync(string greenhouseId, DateTimeOffset from, DateTimeOffset to, BucketWidth width, CancellationToken cancellationToken = default);

    /// <summary>Readings appended after <paramref name="afterSequence"/>, in sequence order, at most <paramref name="limit"/>: for replay.</summary>
    Task<IReadOnlyList<StoredReading>> ReadAfterAsync(string greenhouseId, long afterSequence, int limit, CancellationToken cancellationToken = default);
}

/// <summary>What an append stored: the new readings with their sequence numbers, and how many were duplicates.</summary>
public sealed record AppendResult(IReadOnlyList<StoredReading> Inserted, int Duplicates);
