using System.Data.Common;
using AgriChain.Domain.Greenhouses;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AgriChain.Storage.Greenhouses;

/// <summary>
/// The readings table on SQLite: times as unix milliseconds, the sequence as the rowid. Microsoft.Data.Sqlite runs
/// its async methods synchronously anyway, so the plain synchronous calls are used.
/// </summary>
internal sealed class SqliteReadingSql : IReadingSql
{
    // One statement per row, prepared once per batch and stepped through SQLite's own API: SQLite has no network round
    // trip, so the cost is in the layers above it, and without an ADO.NET command execution per row the insert runs
    // about as fast as a plain prepared bulk insert without the conflict check. Rows go in batch order, so a key seen
    // earlier in the same transaction conflicts like a stored one and the first occurrence wins. The new row's
    // sequence is its rowid, read back with sqlite3_last_insert_rowid when sqlite3_changes says the row went in
    // (RETURNING would buffer every row in a temporary b-tree first). Bindings survive sqlite3_reset, so the
    // greenhouse is bound once per append and the sensor only when it changes.
    private const string InsertSql =
        """
        INSERT INTO agrichain_readings (greenhouse_id, sensor_id, at_ms, temperature_c, humidity_pct)
        VALUES (?1, ?2, ?3, ?4, ?5)
        ON CONFLICT DO NOTHING
        """;

    private const string SelectColumns = "SELECT sequence, at_ms, temperature_c, humidity_pct, sensor_id FROM agrichain_readings";

    public Task WriteAsync(DbConnection connection, IReadOnlyList<PendingAppend> batch, int rowCount, CancellationToken cancellationToken)
    {
        var sqlite = (SqliteConnection)connection;
        var handle = sqlite.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        using var transaction = sqlite.BeginTransaction();
        Check(raw.sqlite3_prepare_v2(handle, InsertSql, out var statement), handle);
        using (statement)
        {
            foreach (var append in batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Check(raw.sqlite3_bind_text(statement, 1, append.GreenhouseId), handle);
                string? boundSensor = null;
                var readings = append.Readings;
                for (var i = 0; i < readings.Length; i++)
                {
                    var row = readings[i];
                    if (!string.Equals(row.SensorId, boundSensor, StringComparison.Ordinal))
                    {
                        Check(raw.sqlite3_bind_text(statement, 2, row.SensorId), handle);
                        boundSensor = row.SensorId;
                    }

                    Check(raw.sqlite3_bind_int64(statement, 3, row.AtMilliseconds), handle);
                    Check(raw.sqlite3_bind_double(statement, 4, row.TemperatureC), handle);
                    Check(row.HumidityPct is { } humidity ? raw.sqlite3_bind_double(statement, 5, humidity) : raw.sqlite3_bind_null(statement, 5), handle);

                    var result = raw.sqlite3_step(statement);
                    if (result == raw.SQLITE_DONE && raw.sqlite3_changes(handle) == 1)
                    {
                        append.Sequences[i] = raw.sqlite3_last_insert_rowid(handle);
                    }

                    if (result != raw.SQLITE_DONE)
                    {
                        // sqlite3_reset reports the statement's error, and leaves the statement ready for the rollback.
                        Check(raw.sqlite3_reset(statement), handle);
                        Check(result, handle);
                    }

                    raw.sqlite3_reset(statement);
                }
            }
        }

        transaction.Commit();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<StoredReading>> ReadAsync(DbConnection connection, string greenhouseId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            {SelectColumns}
            WHERE greenhouse_id = $greenhouse AND at_ms >= $from AND at_ms < $to
            ORDER BY at_ms, sensor_id
            LIMIT $limit
            """;
        Add(command, "$greenhouse", greenhouseId);
        Add(command, "$from", UtcTime.CeilingUnixMilliseconds(from));
        Add(command, "$to", UtcTime.CeilingUnixMilliseconds(to));
        Add(command, "$limit", limit);
        return Task.FromResult<IReadOnlyList<StoredReading>>(ReadRows(command, limit));
    }

    public Task<IReadOnlyList<StoredReading>> ReadAfterAsync(DbConnection connection, string greenhouseId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            {SelectColumns}
            WHERE greenhouse_id = $greenhouse AND sequence > $after
            ORDER BY sequence
            LIMIT $limit
            """;
        Add(command, "$greenhouse", greenhouseId);
        Add(command, "$after", afterSequence);
        Add(command, "$limit", limit);
        return Task.FromResult<IReadOnlyList<StoredReading>>(ReadRows(command, limit));
    }

    public Task<IReadOnlyList<ReadingBucket>> ReadBucketsAsync(DbConnection connection, string greenhouseId, DateTimeOffset from, DateTimeOffset to, BucketWidth width, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        // Unix time 0 is a UTC midnight, so whole multiples of the width are UTC minute, hour and day boundaries. The
        // double modulo rounds times before 1970 down too. Aggregates skip NULL humidity and give NULL when none had it.
        command.CommandText = """
            SELECT at_ms - (((at_ms % $width) + $width) % $width) AS bucket,
                   COUNT(*),
                   MIN(temperature_c), AVG(temperature_c), MAX(temperature_c),
                   MIN(humidity_pct), AVG(humidity_pct), MAX(humidity_pct)
            FROM agrichain_readings
            WHERE greenhouse_id = $greenhouse AND at_ms >= $from AND at_ms < $to
            GROUP BY bucket
            ORDER BY bucket
            """;
        Add(command, "$width", ReadingBuckets.WidthInMilliseconds(width));
        Add(command, "$greenhouse", greenhouseId);
        Add(command, "$from", UtcTime.CeilingUnixMilliseconds(from));
        Add(command, "$to", UtcTime.CeilingUnixMilliseconds(to));

        var buckets = new List<ReadingBucket>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            buckets.Add(ReadingBuckets.Read(reader, UtcTime.FromUnixMilliseconds(reader.GetInt64(0))));
        }

        return Task.FromResult<IReadOnlyList<ReadingBucket>>(buckets);
    }

    private static List<StoredReading> ReadRows(DbCommand command, int limit)
    {
        var rows = new List<StoredReading>(Math.Min(limit, 1_024));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(new StoredReading(
                reader.GetInt64(0),
                UtcTime.FromUnixMilliseconds(reader.GetInt64(1)),
                reader.GetDouble(2),
                reader.IsDBNull(3) ? null : reader.GetDouble(3),
                reader.GetString(4)));
        }

        return rows;
    }

    private static void Check(int result, sqlite3 handle)
    {
        if (result is not (raw.SQLITE_OK or raw.SQLITE_ROW or raw.SQLITE_DONE))
        {
            SqliteException.ThrowExceptionForRC(result, handle);
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
