using System.Data.Common;
using System.Globalization;
using AgriChain.Domain.Greenhouses;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace AgriChain.Storage.Greenhouses;

/// <summary>
/// The readings table on PostgreSQL: partitioned by month, written with one <c>INSERT ... SELECT FROM unnest(...)</c>
/// per batch, so a batch costs two round trips (its sequence numbers, then the insert) whatever its size, plus one per
/// month that has no partition yet.
/// </summary>
internal sealed partial class PostgreSqlReadingSql(ILogger logger) : IReadingSql
{
    // Sequence numbers are taken for the whole batch first, in one statement, and sent with the rows in batch order:
    // then RETURNING needs to give back only the sequence to tell which rows were new, which is much cheaper to read
    // than their keys. Numbers taken for duplicates (or for a batch that fails) are simply never used. Duplicates inside
    // the batch are removed before sending (the first wins); ON CONFLICT drops the stored ones.
    private const string TakeSequencesSql =
        "SELECT array_agg(nextval('agrichain_readings_sequence')) FROM generate_series(1, @count)";

    // Most batches hold no stored reading, so the plain insert goes first: it skips the speculative insertion that
    // ON CONFLICT needs for every row and sends nothing back. Only when a row is already stored (a gateway resending a
    // batch) does the statement fail on the unique key, storing nothing, and the batch goes again with ON CONFLICT.
    private const string PlainInsertSql =
        """
        INSERT INTO agrichain_readings (sequence, greenhouse_id, sensor_id, at_utc, temperature_c, humidity_pct)
        SELECT * FROM unnest(@sequence, @greenhouse, @sensor, @at, @temperature, @humidity)
        """;

    private const string InsertSql =
        """
        INSERT INTO agrichain_readings (sequence, greenhouse_id, sensor_id, at_utc, temperature_c, humidity_pct)
        SELECT * FROM unnest(@sequence, @greenhouse, @sensor, @at, @temperature, @humidity)
        ON CONFLICT DO NOTHING
        RETURNING sequence
        """;

    private const string SelectColumns = "SELECT sequence, at_utc, temperature_c, humidity_pct, sensor_id FROM agrichain_readings";

    private const string DuplicateTable = "42P07";
    private const string UniqueViolation = "23505";

    private static readonly Dictionary<BucketWidth, string> TruncateUnit = new()
    {
        [BucketWidth.Minute] = "minute",
        [BucketWidth.Hour] = "hour",
        [BucketWidth.Day] = "day",
    };

    // Used by the single writer only.
    private readonly HashSet<RowKey> _seen = [];
    private readonly HashSet<int> _readyMonths = [];

    public async Task WriteAsync(DbConnection connection, IReadOnlyList<PendingAppend> batch, int rowCount, CancellationToken cancellationToken)
    {
        var postgres = (NpgsqlConnection)connection;
        var owners = new (PendingAppend Append, int Index)[rowCount];
        var greenhouses = new string[rowCount];
        var sensors = new string[rowCount];
        var times = new DateTime[rowCount];
        var temperatures = new double[rowCount];
        var humidities = new double?[rowCount];
        var months = new List<int>();
        var lastMonth = new MonthRange(long.MaxValue, long.MinValue, 0);

        _seen.Clear();
        var count = 0;
        foreach (var append in batch)
        {
            var readings = append.Readings;
            for (var i = 0; i < readings.Length; i++)
            {
                var row = readings[i];
                if (!_seen.Add(new RowKey(append.GreenhouseId, row.SensorId, row.AtMilliseconds)))
                {
                    continue;
                }

                if (!lastMonth.Contains(row.AtMilliseconds))
                {
                    lastMonth = MonthRange.Of(row.AtMilliseconds);
                    if (!_readyMonths.Contains(lastMonth.Key) && !months.Contains(lastMonth.Key))
                    {
                        months.Add(lastMonth.Key);
                    }
                }

                owners[count] = (append, i);
                greenhouses[count] = append.GreenhouseId;
                sensors[count] = row.SensorId;
                times[count] = UtcTime.ToUtcDateTime(row.AtMilliseconds);
                temperatures[count] = row.TemperatureC;
                humidities[count] = row.HumidityPct;
                count++;
            }
        }

        _seen.Clear();
        if (count < rowCount)
        {
            Array.Resize(ref greenhouses, count);
            Array.Resize(ref sensors, count);
            Array.Resize(ref times, count);
            Array.Resize(ref temperatures, count);
            Array.Resize(ref humidities, count);
        }

        foreach (var month in months)
        {
            await EnsurePartitionAsync(postgres, month, cancellationToken).ConfigureAwait(false);
        }

        // Never empty: the first occurrence of every key is kept.
        var sequences = await TakeSequencesAsync(postgres, count, cancellationToken).ConfigureAwait(false);

        // One statement is one transaction: it stores every new row or, failing, none.
        NpgsqlCommand Insert(string sql)
        {
            var insert = new NpgsqlCommand(sql, postgres);
            insert.Parameters.Add(new NpgsqlParameter<long[]>("sequence", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = sequences });
            insert.Parameters.Add(new NpgsqlParameter<string[]>("greenhouse", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = greenhouses });
            insert.Parameters.Add(new NpgsqlParameter<string[]>("sensor", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = sensors });
            insert.Parameters.Add(new NpgsqlParameter<DateTime[]>("at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = times });
            insert.Parameters.Add(new NpgsqlParameter<double[]>("temperature", NpgsqlDbType.Array | NpgsqlDbType.Double) { TypedValue = temperatures });
            insert.Parameters.Add(new NpgsqlParameter<double?[]>("humidity", NpgsqlDbType.Array | NpgsqlDbType.Double) { TypedValue = humidities });
            return insert;
        }

        try
        {
            await using var plain = Insert(PlainInsertSql);
            await plain.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            for (var row = 0; row < count; row++)
            {
                var (append, index) = owners[row];
                append.Sequences[index] = sequences[row];
            }

            return;
        }
        catch (PostgresException exception) when (exception.SqlState == UniqueViolation)
        {
            // Some row is stored already: nothing of this statement was; the batch goes again, skipping those.
        }

        await using var command = Insert(InsertSql);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var sequence = reader.GetInt64(0);
                var row = Array.BinarySearch(sequences, sequence);
                if (row >= 0)
                {
                    var (append, index) = owners[row];
                    append.Sequences[index] = sequence;
                }
            }
        }
    }

    public async Task<IReadOnlyList<StoredReading>> ReadAsync(DbConnection connection, string greenhouseId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"""
            {SelectColumns}
            WHERE greenhouse_id = @greenhouse AND at_utc >= @from AND at_utc < @to
            ORDER BY at_utc, sensor_id
            LIMIT @limit
            """,
            (NpgsqlConnection)connection);
        command.Parameters.Add(new NpgsqlParameter<string>("greenhouse", NpgsqlDbType.Text) { TypedValue = greenhouseId });
        AddBounds(command, from, to);
        command.Parameters.Add(new NpgsqlParameter<int>("limit", NpgsqlDbType.Integer) { TypedValue = limit });
        return await ReadRowsAsync(command, limit, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredReading>> ReadAfterAsync(DbConnection connection, string greenhouseId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"""
            {SelectColumns}
            WHERE greenhouse_id = @greenhouse AND sequence > @after
            ORDER BY sequence
            LIMIT @limit
            """,
            (NpgsqlConnection)connection);
        command.Parameters.Add(new NpgsqlParameter<string>("greenhouse", NpgsqlDbType.Text) { TypedValue = greenhouseId });
        command.Parameters.Add(new NpgsqlParameter<long>("after", NpgsqlDbType.Bigint) { TypedValue = afterSequence });
        command.Parameters.Add(new NpgsqlParameter<int>("limit", NpgsqlDbType.Integer) { TypedValue = limit });
        return await ReadRowsAsync(command, limit, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ReadingBucket>> ReadBucketsAsync(DbConnection connection, string greenhouseId, DateTimeOffset from, DateTimeOffset to, BucketWidth width, CancellationToken cancellationToken)
    {
        _ = ReadingBuckets.WidthInMilliseconds(width);
        // date_trunc with a time zone truncates in UTC whatever the session's TimeZone is.
        await using var command = new NpgsqlCommand(
            $"""
            SELECT date_trunc('{TruncateUnit[width]}', at_utc, 'UTC') AS bucket,
                   count(*),
                   min(temperature_c), avg(temperature_c), max(temperature_c),
                   min(humidity_pct), avg(humidity_pct), max(humidity_pct)
            FROM agrichain_readings
            WHERE greenhouse_id = @greenhouse AND at_utc >= @from AND at_utc < @to
            GROUP BY bucket
            ORDER BY bucket
            """,
            (NpgsqlConnection)connection);
        command.Parameters.Add(new NpgsqlParameter<string>("greenhouse", NpgsqlDbType.Text) { TypedValue = greenhouseId });
        AddBounds(command, from, to);

        var buckets = new List<ReadingBucket>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                buckets.Add(ReadingBuckets.Read(reader, UtcTime.FromUtcDateTime(reader.GetFieldValue<DateTime>(0))));
            }
        }

        return buckets;
    }

    /// <summary>
    /// Creates the partition of one month unless it exists. Several silos may race to create it: the loser's
    /// IF NOT EXISTS can still fail on the catalog's unique index, which means the partition is there.
    /// </summary>
    private async Task EnsurePartitionAsync(NpgsqlConnection connection, int monthKey, CancellationToken cancellationToken)
    {
        var month = MonthRange.FromKey(monthKey);
        var name = string.Create(CultureInfo.InvariantCulture, $"agrichain_readings_y{month.Year:D4}m{month.Month:D2}");
        var upper = month.Year == 9999 && month.Month == 12
            ? "infinity"
            : Bound(UtcTime.FromUnixMilliseconds(month.EndMilliseconds));
        var sql = $"CREATE TABLE IF NOT EXISTS {name} PARTITION OF agrichain_readings FOR VALUES FROM ('{Bound(UtcTime.FromUnixMilliseconds(month.StartMilliseconds))}') TO ('{upper}')";

        await using var command = new NpgsqlCommand(sql, connection);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException exception) when (exception.SqlState is DuplicateTable or UniqueViolation)
        {
            // Another silo created it between our check and our create.
        }
        catch (PostgresException exception) when (exception.SqlState is not (DuplicateTable or UniqueViolation))
        {
            // No permission, an operator's partition overlapping the month, or rows of the month already in the default
            // partition: the rows are still kept (in the default partition, or in the operator's), so carry on.
            LogPartitionNotCreated(exception, name, exception.SqlState);
        }

        _readyMonths.Add(monthKey);
    }

    /// <summary>
    /// The range as whole milliseconds, rounded up like on SQLite: stored times are whole milliseconds, and Npgsql
    /// would cut a bound's sub-microsecond part off, which can move a bound across a stored time.
    /// </summary>
    private static void AddBounds(NpgsqlCommand command, DateTimeOffset from, DateTimeOffset to)
    {
        command.Parameters.Add(new NpgsqlParameter<DateTime>("from", NpgsqlDbType.TimestampTz) { TypedValue = UtcTime.ToUtcDateTime(UtcTime.CeilingUnixMilliseconds(from)) });
        command.Parameters.Add(new NpgsqlParameter<DateTime>("to", NpgsqlDbType.TimestampTz) { TypedValue = UtcTime.ToUtcDateTime(UtcTime.CeilingUnixMilliseconds(to)) });
    }

    /// <summary><paramref name="count"/> numbers of the readings sequence, ascending.</summary>
    private static async Task<long[]> TakeSequencesAsync(NpgsqlConnection connection, int count, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(TakeSequencesSql, connection);
        command.Parameters.Add(new NpgsqlParameter<int>("count", NpgsqlDbType.Integer) { TypedValue = count });
        var sequences = (long[])(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        if (sequences.Length != count)
        {
            throw new InvalidOperationException($"Asked for {count} reading sequence numbers and got {sequences.Length}.");
        }

        // nextval only grows, so they come ascending; sorting costs nothing then and makes the search below safe anyway.
        Array.Sort(sequences);
        return sequences;
    }

    private static string Bound(DateTimeOffset value) => value.ToString("yyyy-MM-dd HH:mm:ss'+00'", CultureInfo.InvariantCulture);

    private static async Task<IReadOnlyList<StoredReading>> ReadRowsAsync(NpgsqlCommand command, int limit, CancellationToken cancellationToken)
    {
        var rows = new List<StoredReading>(Math.Min(limit, 1_024));
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(new StoredReading(
                    reader.GetInt64(0),
                    UtcTime.FromUtcDateTime(reader.GetFieldValue<DateTime>(1)),
                    reader.GetDouble(2),
                    reader.IsDBNull(3) ? null : reader.GetDouble(3),
                    reader.GetString(4)));
            }
        }

        return rows;
    }

    private readonly record struct RowKey(string GreenhouseId, string SensorId, long AtMilliseconds);

    /// <summary>A UTC calendar month as a half-open range of unix milliseconds; Key is year * 12 + month - 1.</summary>
    private readonly record struct MonthRange(long StartMilliseconds, long EndMilliseconds, int Key)
    {
        public int Year => Key / 12;

        public int Month => (Key % 12) + 1;

        public bool Contains(long milliseconds) => milliseconds >= StartMilliseconds && milliseconds < EndMilliseconds;

        public static MonthRange Of(long milliseconds)
        {
            var at = UtcTime.FromUnixMilliseconds(milliseconds);
            return FromKey((at.Year * 12) + at.Month - 1);
        }

        public static MonthRange FromKey(int key)
        {
            var start = new DateTimeOffset(key / 12, (key % 12) + 1, 1, 0, 0, 0, TimeSpan.Zero);
            var end = key / 12 == 9999 && key % 12 == 11 ? DateTimeOffset.MaxValue : start.AddMonths(1);
            return new MonthRange(start.ToUnixTimeMilliseconds(), end.ToUnixTimeMilliseconds(), key);
        }
    }
}
