using System.Data.Common;
using AgriChain.Domain.Greenhouses;

namespace AgriChain.Storage.Greenhouses;

/// <summary>The SQL of the readings table on one database.</summary>
internal interface IReadingSql
{
    /// <summary>
    /// Writes the readings of <paramref name="batch"/> atomically on <paramref name="connection"/>: every new reading
    /// is stored and gets its sequence in <see cref="PendingAppend.Sequences"/>, in batch order; a reading whose key is
    /// already stored, or appears earlier in the batch, is left out. Throws, having stored nothing, when it fails.
    /// </summary>
    Task WriteAsync(DbConnection connection, IReadOnlyList<PendingAppend> batch, int rowCount, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredReading>> ReadAsync(DbConnection connection, string greenhouseId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredReading>> ReadAfterAsync(DbConnection connection, string greenhouseId, long afterSequence, int limit, CancellationToken cancellationToken);

    Task<IReadOnlyList<ReadingBucket>> ReadBucketsAsync(DbConnection connection, string greenhouseId, DateTimeOffset from, DateTimeOffset to, BucketWidth width, CancellationToken cancellationToken);
}
