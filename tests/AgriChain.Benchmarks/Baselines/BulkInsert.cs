using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using AgriChain.Benchmarks.Infrastructure;
using AgriChain.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;

namespace AgriChain.Benchmarks.Baselines;

/// <summary>
/// The storage's own limit for readings: the same rows bulk-inserted straight into a database with AgriChain's
/// readings table and indexes, from this process, one transaction per chunk of <see cref="ChunkRows"/> rows (the
/// reading store's largest group commit). SQLite: one prepared INSERT stepped per row through SQLite's C API inside the transaction, on a
/// connection with the same settings as AgriChain's (WAL, synchronous=NORMAL). PostgreSQL: Npgsql binary COPY.
/// Only the insert is timed; the rows are generated before each chunk.
/// </summary>
internal sealed class BulkInsert(AgriChainDatabase database, IReadOnlyList<string> greenhouseIds)
{
    public const int ChunkRows = 50_000;

    private const string InsertSql =
        "INSERT INTO agrichain_readings (greenhouse_id, sensor_id, at_ms, temperature_c, humidity_pct) VALUES (?1, ?2, ?3, ?4, ?5)";

    /// <summary>Inserts chunks from <paramref name="next"/> until <paramref name="duration"/> of insert time has passed.</summary>
    public async Task<(long Rows, TimeSpan Elapsed)> RunAsync(Func<int, BenchReading[]> next, TimeSpan duration)
    {
        long rows = 0;
        var elapsed = TimeSpan.Zero;
        while (elapsed < duration)
        {
            var chunk = next(ChunkRows);
            var started = Stopwatch.GetTimestamp();
            if (database.Provider == StorageProvider.Sqlite)
            {
                await InsertSqliteAsync(chunk);
            }
            else
            {
                await CopyPostgresAsync(chunk);
            }

            elapsed += Stopwatch.GetElapsedTime(started);
            rows += chunk.Length;
        }

        return (rows, elapsed);
    }

    /// <summary>PostgreSQL: the monthly partitions the rows fall in, as AgriChain's store creates them.</summary>
    public async Task PreparePartitionsAsync(DateTimeOffset from, DateTimeOffset to)
    {
        if (database.Provider != StorageProvider.PostgreSql)
        {
            return;
        }

        await using var connection = await database.DataSource.OpenConnectionAsync();
        for (var month = new DateTimeOffset(from.Year, from.Month, 1, 0, 0, 0, TimeSpan.Zero); month <= to; month = month.AddMonths(1))
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"agrichain_readings_y{month.Year:D4}m{month.Month:D2}");
            await using var command = connection.CreateCommand();
            command.CommandText = string.Create(CultureInfo.InvariantCulture,
                $"CREATE TABLE IF NOT EXISTS {name} PARTITION OF agrichain_readings FOR VALUES FROM ('{month:yyyy-MM-dd} 00:00:00+00') TO ('{month.AddMonths(1):yyyy-MM-dd} 00:00:00+00')");
            await command.ExecuteNonQueryAsync();
        }
    }

    private async Task InsertSqliteAsync(BenchReading[] chunk)
    {
        // Stepped through SQLite's own API, as AgriChain's reading store does, so that the baseline is the storage's
        // limit rather than ADO.NET's per-command cost.
        await using var connection = (SqliteConnection)await database.DataSource.OpenConnectionAsync();
        var handle = connection.Handle!;
        using var transaction = connection.BeginTransaction();
        Check(raw.sqlite3_prepare_v2(handle, InsertSql, out var statement), handle);
        using (statement)
        {
            Check(raw.sqlite3_bind_text(statement, 2, ReadingFeed.Sensor), handle);
            var bound = -1;
            foreach (var row in chunk)
            {
                if (row.Greenhouse != bound)
                {
                    Check(raw.sqlite3_bind_text(statement, 1, greenhouseIds[row.Greenhouse]), handle);
                    bound = row.Greenhouse;
                }

                Check(raw.sqlite3_bind_int64(statement, 3, row.AtMilliseconds), handle);
                Check(raw.sqlite3_bind_double(statement, 4, row.TemperatureC), handle);
                Check(raw.sqlite3_bind_double(statement, 5, row.HumidityPct), handle);
                if (raw.sqlite3_step(statement) != raw.SQLITE_DONE)
                {
                    Check(raw.sqlite3_reset(statement), handle);
                }

                raw.sqlite3_reset(statement);
            }
        }

        transaction.Commit();
    }

    private static void Check(int result, sqlite3 handle)
    {
        if (result is not (raw.SQLITE_OK or raw.SQLITE_ROW or raw.SQLITE_DONE))
        {
            SqliteException.ThrowExceptionForRC(result, handle);
        }
    }

    private async Task CopyPostgresAsync(BenchReading[] chunk)
    {
        await using var connection = (NpgsqlConnection)await database.DataSource.OpenConnectionAsync();
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY agrichain_readings (greenhouse_id, sensor_id, at_utc, temperature_c, humidity_pct) FROM STDIN (FORMAT BINARY)");
        foreach (var row in chunk)
        {
            writer.StartRow();
            writer.Write(greenhouseIds[row.Greenhouse], NpgsqlDbType.Text);
            writer.Write(ReadingFeed.Sensor, NpgsqlDbType.Text);
            writer.Write(DateTime.UnixEpoch.AddMilliseconds(row.AtMilliseconds), NpgsqlDbType.TimestampTz);
            writer.Write(row.TemperatureC, NpgsqlDbType.Double);
            writer.Write(row.HumidityPct, NpgsqlDbType.Double);
        }

        await writer.CompleteAsync();
    }
}

internal static class DbExtensions
{
    public static async Task ExecuteAsync(this DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
