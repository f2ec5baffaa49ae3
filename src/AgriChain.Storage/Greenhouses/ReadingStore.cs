using System.Data.Common;
using System.Threading.Channels;
using AgriChain.Contracts.Greenhouses;
using AgriChain.Domain.Greenhouses;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgriChain.Storage.Greenhouses;

/// <summary>
/// The readings time series on <see cref="AgriChainDatabase"/>, with group commit: one per silo, it queues the appends
/// of every greenhouse grain and one background writer stores everything queued in one transaction, then
/// acknowledges each caller with its own result. A caller is acknowledged only after the commit; when a transaction
/// fails, every caller in it gets the exception and none of its readings is stored.
/// </summary>
/// <remarks>
/// Times are stored as UTC to the millisecond: finer parts are cut off before the duplicate check, so two readings of
/// a sensor within the same millisecond are the same reading. The writer takes the SQLite gate only for the length
/// of a transaction, and while it waits for the gate more appends queue up for the same transaction.
/// Dispose (or the silo stopping, see <see cref="StorageHostingExtensions.UseAgriChainStorage"/>) writes what is
/// queued and then stops the writer. A caller whose cancellation token fires while its append waits in the queue is
/// dropped from it; once the append is in a transaction, the caller still stops waiting, but the readings may be
/// stored: appending them again is safe, since duplicates are dropped.
/// </remarks>
public sealed partial class ReadingStore : IReadingStore, IAsyncDisposable
{
    private readonly AgriChainDatabase _database;
    private readonly IReadingSql _sql;
    private readonly ILogger _logger;
    private readonly int _maxBatchReadings;
    private readonly Channel<PendingAppend> _queue;
    private readonly CancellationTokenSource _abort = new();
    private readonly Task _writer;
    private int _disposed;

    /// <summary>Starts the writer. The schema (deploy/sql) must be applied before the first append.</summary>
    public ReadingStore(AgriChainDatabase database, ReadingStoreOptions? options = null, ILogger<ReadingStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        options ??= new ReadingStoreOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchReadings, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxQueuedAppends, 1, nameof(options));

        _database = database;
        _logger = logger ?? NullLogger<ReadingStore>.Instance;
        _sql = database.Provider == StorageProvider.Sqlite ? new SqliteReadingSql() : new PostgreSqlReadingSql(_logger);
        _maxBatchReadings = options.MaxBatchReadings;
        _queue = Channel.CreateBounded<PendingAppend>(new BoundedChannelOptions(options.MaxQueuedAppends)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        // The writer must not inherit the ambient context (activity, grain context) of whoever built the store.
        using (ExecutionContext.SuppressFlow())
        {
            _writer = Task.Run(WriteLoopAsync);
        }
    }

    /// <inheritdoc />
    public async Task<AppendResult> AppendAsync(string greenhouseId, IReadOnlyList<Reading> readings, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(greenhouseId);
        ArgumentNullException.ThrowIfNull(readings);
        if (readings.Count == 0)
        {
            return new AppendResult([], 0);
        }

        // Checked here, so that one caller's bad reading cannot fail the batch of everyone else.
        var rows = new ReadingRow[readings.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var reading = readings[i] ?? throw new ArgumentException($"Reading {i} is null.", nameof(readings));
            if (string.IsNullOrEmpty(reading.SensorId))
            {
                throw new ArgumentException($"Reading {i} has no sensor id.", nameof(readings));
            }

            if (!double.IsFinite(reading.TemperatureC) || (reading.HumidityPct is { } humidity && !double.IsFinite(humidity)))
            {
                throw new ArgumentException($"Reading {i} has a temperature or humidity that is not a finite number.", nameof(readings));
            }

            rows[i] = new ReadingRow(reading.SensorId, UtcTime.ToUnixMilliseconds(reading.At), reading.TemperatureC, reading.HumidityPct);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingAppend(greenhouseId, rows, cancellationToken);
        // Queued synchronously whenever there is room, so that appends made one after another are taken in that order.
        if (!_queue.Writer.TryWrite(pending))
        {
            try
            {
                await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException exception)
            {
                throw new ObjectDisposedException(nameof(ReadingStore), exception);
            }
        }

        return await pending.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredReading>> ReadAsync(string greenhouseId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(greenhouseId);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (from >= to)
        {
            return [];
        }

        var connection = await _database.ReadDataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await _sql.ReadAsync(connection, greenhouseId, from, to, limit, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReadingBucket>> ReadBucketsAsync(string greenhouseId, DateTimeOffset from, DateTimeOffset to, BucketWidth width, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(greenhouseId);
        _ = ReadingBuckets.WidthInMilliseconds(width);
        if (from >= to)
        {
            return [];
        }

        var connection = await _database.ReadDataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await _sql.ReadBucketsAsync(connection, greenhouseId, from, to, width, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredReading>> ReadAfterAsync(string greenhouseId, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(greenhouseId);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);

        var connection = await _database.ReadDataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await _sql.ReadAfterAsync(connection, greenhouseId, afterSequence, limit, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops taking appends, writes everything already queued, and stops the writer. If
    /// <paramref name="cancellationToken"/> fires first, the appends still queued fail instead. Safe to call again.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        try
        {
            await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogWriterAborted();
            await _abort.CancelAsync().ConfigureAwait(false);
            await _writer.ConfigureAwait(false);
        }
    }

    /// <summary>Writes what is queued and stops the writer (see <see cref="StopAsync"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _abort.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<PendingAppend>();
        PendingAppend? carried = null;
        while (carried is not null || await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            var rowCount = 0;
            if (carried is not null)
            {
                batch.Add(carried);
                rowCount = carried.Readings.Length;
                carried = null;
            }

            Take(reader, batch, ref rowCount, ref carried);
            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                var connection = await _database.DataSource.OpenConnectionAsync(_abort.Token).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    // Whatever queued up while the connection (on SQLite: the gate) was coming joins this transaction.
                    Take(reader, batch, ref rowCount, ref carried);
                    await _sql.WriteAsync(connection, batch, rowCount, _abort.Token).ConfigureAwait(false);
                }
            }
            catch (Exception exception)
            {
                LogBatchFailed(exception, batch.Count, rowCount);
                foreach (var append in batch)
                {
                    append.ResetSequences();
                    append.Completion.TrySetException(exception);
                }

                continue;
            }

            foreach (var append in batch)
            {
                append.Complete();
            }
        }

        LogWriterStopped();
    }

    /// <summary>
    /// Moves queued appends into the batch while it has room; an append that does not fit is carried to the next batch
    /// (one that is too large on its own still goes, alone). Appends whose caller gave up are dropped here.
    /// </summary>
    private void Take(ChannelReader<PendingAppend> reader, List<PendingAppend> batch, ref int rowCount, ref PendingAppend? carried)
    {
        while (carried is null && rowCount < _maxBatchReadings && reader.TryRead(out var next))
        {
            if (next.CancellationToken.IsCancellationRequested)
            {
                next.Completion.TrySetCanceled(next.CancellationToken);
                continue;
            }

            if (batch.Count > 0 && rowCount + next.Readings.Length > _maxBatchReadings)
            {
                carried = next;
                break;
            }

            batch.Add(next);
            rowCount += next.Readings.Length;
        }
    }
}
