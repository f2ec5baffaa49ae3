using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AgriChain.Contracts.Epcis;
using AgriChain.Domain.Epcis;
using Npgsql;
using NpgsqlTypes;
using static AgriChain.Storage.StoreParameters;

namespace AgriChain.Storage.Epcis;

/// <summary>
/// The EPCIS read model on <see cref="AgriChainDatabase"/> (script <c>007-epcis.sql</c>): a capture is one transaction
/// that inserts each event unless its (scope, eventID) is stored already, then the identifiers it names. Times are
/// kept to the microsecond, in UTC (SQLite: unix microseconds in the <c>*_us</c> columns).
/// </summary>
public sealed class EpcisEventStore : IEpcisEventStore
{
    /// <summary>The largest page a query may ask for.</summary>
    public const int MaxLimit = 1_000;


    private readonly AgriChainDatabase _database;
    private readonly bool _sqlite;
    private readonly string _eventTime;
    private readonly string _recordTime;
    private readonly string _insertEvent;
    private readonly string _declare;
    private readonly string _select;

    public EpcisEventStore(AgriChainDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _sqlite = database.Provider == StorageProvider.Sqlite;
        var suffix = _sqlite ? "_us" : string.Empty;
        _eventTime = "event_time" + suffix;
        _recordTime = "record_time" + suffix;
        _select = $"SELECT e.event_key, e.event_id, e.{_eventTime}, e.body FROM agrichain_epcis_events e";
        _insertEvent = $"""
            INSERT INTO agrichain_epcis_events (scope, event_id, source, event_type, {_eventTime}, {_recordTime}, action, biz_step,
                disposition, read_point, biz_location, error_declared, capture_id, body)
            VALUES (@scope, @eventId, @source, @type, @eventTime, @recordTime, @action, @bizStep, @disposition, @readPoint,
                @bizLocation, @declared, @captureId, @body)
            ON CONFLICT (scope, event_id) DO NOTHING
            RETURNING event_key
            """;
        _declare = $"""
            UPDATE agrichain_epcis_events
            SET body = @body, error_declared = @declared, {_recordTime} = @recordTime, capture_id = @captureId
            WHERE scope = @scope AND event_id = @eventId AND error_declared = @notDeclared
            RETURNING event_key
            """;
    }

    /// <inheritdoc />
    public async Task<CaptureOutcome> CaptureAsync(EpcisCaptureRequest capture, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(capture);
        int stored = 0, declared = 0, duplicates = 0;
        var connection = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var insert = connection.CreateCommand();
                var declare = connection.CreateCommand();
                await using (insert.ConfigureAwait(false))
                await using (declare.ConfigureAwait(false))
                {
                    insert.Transaction = transaction;
                    insert.CommandText = _insertEvent;
                    declare.Transaction = transaction;
                    declare.CommandText = _declare;
                    foreach (var record in capture.Events)
                    {
                        FillEvent(insert, capture, record);
                        var key = await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                        if (key is not null and not DBNull)
                        {
                            stored++;
                            await InsertIdentifiersAsync(connection, transaction, Convert.ToInt64(key, CultureInfo.InvariantCulture), record, cancellationToken).ConfigureAwait(false);
                            continue;
                        }

                        if (record.ErrorDeclared)
                        {
                            declare.Parameters.Clear();
                            AddText(declare, "body", record.Body);
                            AddFlag(declare, "declared", true);
                            AddFlag(declare, "notDeclared", false);
                            AddTime(declare, "recordTime", record.RecordTime, _sqlite);
                            AddText(declare, "captureId", capture.CaptureId);
                            AddText(declare, "scope", capture.Scope);
                            AddText(declare, "eventId", record.EventId);
                            if (await declare.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null and not DBNull)
                            {
                                declared++;
                                continue;
                            }
                        }

                        duplicates++;
                    }
                }

                var outcome = new CaptureOutcome(stored, declared, duplicates);
                await InsertCaptureAsync(connection, transaction, capture, outcome, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return outcome;
            }
        }
    }

    /// <inheritdoc />
    public async Task<EpcisCaptureInfo?> GetCaptureAsync(string? scope, string captureId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(captureId);
        var connection = await _database.ReadDataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                var capturedAt = _sqlite ? "captured_at_us" : "captured_at";
                command.CommandText = $"SELECT capture_id, scope, {capturedAt}, event_count, stored, declared, duplicates FROM agrichain_epcis_captures WHERE capture_id = @id"
                    + (scope is null ? string.Empty : " AND scope = @scope");
                AddText(command, "id", captureId);
                if (scope is not null)
                {
                    AddText(command, "scope", scope);
                }

                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        return null;
                    }

                    return new EpcisCaptureInfo(reader.GetString(0), reader.GetString(1), Time(reader, 2), reader.GetInt32(3),
                        reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6));
                }
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The page token is not one this store issued.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The limit is not within 1..<see cref="MaxLimit"/>.</exception>
    public async Task<EpcisEventPage> QueryAsync(EpcisEventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, MaxLimit, nameof(query));
        var after = query.PageToken is null ? ((long, long)?)null : KeysetPageToken.DecodeNumeric(query.PageToken, 128);

        var connection = await _database.ReadDataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                var where = new List<string>();
                if (query.Scope is not null)
                {
                    where.Add("e.scope = @scope");
                    AddText(command, "scope", query.Scope);
                }

                In(command, where, "e.event_type", "type", query.EventTypes);
                In(command, where, "e.action", "action", query.Actions);
                In(command, where, "e.biz_step", "bizStep", query.BizSteps?.Select(EpcisVocabulary.NormaliseBizStep).ToList());
                In(command, where, "e.disposition", "disposition", query.Dispositions?.Select(EpcisVocabulary.NormaliseDisposition).ToList());
                In(command, where, "e.read_point", "readPoint", query.ReadPoints);
                In(command, where, "e.biz_location", "bizLocation", query.BizLocations);
                In(command, where, "e.event_id", "eventId", query.EventIds);
                Bound(command, where, $"e.{_eventTime}", ">=", "fromEventTime", query.FromEventTime);
                Bound(command, where, $"e.{_eventTime}", "<", "beforeEventTime", query.BeforeEventTime);
                Bound(command, where, $"e.{_recordTime}", ">=", "fromRecordTime", query.FromRecordTime);
                Bound(command, where, $"e.{_recordTime}", "<", "beforeRecordTime", query.BeforeRecordTime);
                if (query.ErrorDeclared is { } errorDeclared)
                {
                    where.Add("e.error_declared = @errorDeclared");
                    AddFlag(command, "errorDeclared", errorDeclared);
                }

                var filters = query.Identifiers ?? [];
                for (var i = 0; i < filters.Count; i++)
                {
                    where.Add(IdentifierCondition(command, filters[i], i));
                }

                if (after is var (time, key))
                {
                    where.Add($"(e.{_eventTime} > @afterTime OR (e.{_eventTime} = @afterTime AND e.event_key > @afterKey))");
                    AddTime(command, "afterTime", UtcTime.FromUnixMicroseconds(time), _sqlite);
                    Add(command, "afterKey", DbType.Int64, key);
                }

                command.CommandText = new StringBuilder()
                    .Append(_select)
                    .Append(where.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", where))
                    .Append(CultureInfo.InvariantCulture, $" ORDER BY e.{_eventTime}, e.event_key LIMIT {query.Limit + 1}")
                    .ToString();
                var rows = await ReadAsync(command, cancellationToken).ConfigureAwait(false);
                if (rows.Count <= query.Limit)
                {
                    return new EpcisEventPage(rows.Select(r => r.Event).ToList(), null);
                }

                rows.RemoveAt(rows.Count - 1);
                var last = rows[^1];
                return new EpcisEventPage(rows.Select(r => r.Event).ToList(),
                    KeysetPageToken.Encode(UtcTime.ToUnixMicroseconds(last.Event.EventTime), last.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredEpcisEvent>> ListCapturedForBatchesAsync(string scope, IReadOnlyCollection<string> batchIds, int limit,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(batchIds);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (batchIds.Count == 0)
        {
            return [];
        }

        var connection = await _database.ReadDataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                var where = new List<string> { "e.scope = @scope", "e.source = 'capture'" };
                AddText(command, "scope", scope);
                var inner = new List<string>();
                In(command, inner, "i.batch_id", "batch", batchIds.ToList());
                where.Add($"EXISTS (SELECT 1 FROM agrichain_epcis_event_ids i WHERE i.event_key = e.event_key AND {inner[0]})");
                command.CommandText = _select + " WHERE "
                    + string.Join(" AND ", where)
                    + string.Create(CultureInfo.InvariantCulture, $" ORDER BY e.{_eventTime}, e.event_key LIMIT {limit}");
                return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).Select(r => r.Event).ToList();
            }
        }
    }

    private void FillEvent(DbCommand command, EpcisCaptureRequest capture, EpcisEventRecord record)
    {
        command.Parameters.Clear();
        AddText(command, "scope", capture.Scope);
        AddText(command, "eventId", record.EventId);
        AddText(command, "source", SourceName(capture.Source));
        AddText(command, "type", record.EventType);
        AddTime(command, "eventTime", record.EventTime, _sqlite);
        AddTime(command, "recordTime", record.RecordTime, _sqlite);
        AddText(command, "action", record.Action);
        AddText(command, "bizStep", record.BizStep);
        AddText(command, "disposition", record.Disposition);
        AddText(command, "readPoint", record.ReadPoint);
        AddText(command, "bizLocation", record.BizLocation);
        AddFlag(command, "declared", record.ErrorDeclared);
        AddText(command, "captureId", capture.CaptureId);
        AddText(command, "body", record.Body);
    }

    private static async Task InsertIdentifiersAsync(DbConnection connection, DbTransaction transaction, long key, EpcisEventRecord record,
        CancellationToken cancellationToken)
    {
        if (record.Identifiers.Count == 0)
        {
            return;
        }

        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            Add(command, "key", DbType.Int64, key);
            var rows = new StringBuilder();
            for (var i = 0; i < record.Identifiers.Count; i++)
            {
                var id = record.Identifiers[i];
                var n = i.ToString(CultureInfo.InvariantCulture);
                rows.Append(i == 0 ? string.Empty : ", ").Append(CultureInfo.InvariantCulture, $"(@key, @r{n}, @v{n}, @b{n})");
                AddText(command, "r" + n, RoleName(id.Role));
                AddText(command, "v" + n, id.Value);
                AddText(command, "b" + n, id.BatchId);
            }

            command.CommandText = $"INSERT INTO agrichain_epcis_event_ids (event_key, role, value, batch_id) VALUES {rows} ON CONFLICT DO NOTHING";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task InsertCaptureAsync(DbConnection connection, DbTransaction transaction, EpcisCaptureRequest capture, CaptureOutcome outcome,
        CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            var capturedAt = _sqlite ? "captured_at_us" : "captured_at";
            command.CommandText = $"""
                INSERT INTO agrichain_epcis_captures (capture_id, scope, source, captured_by, {capturedAt}, event_count, stored, declared, duplicates)
                VALUES (@id, @scope, @source, @by, @at, @count, @stored, @declared, @duplicates)
                ON CONFLICT (capture_id) DO NOTHING
                """;
            AddText(command, "id", capture.CaptureId);
            AddText(command, "scope", capture.Scope);
            AddText(command, "source", SourceName(capture.Source));
            AddText(command, "by", capture.CapturedBy);
            AddTime(command, "at", capture.CapturedAt, _sqlite);
            Add(command, "count", DbType.Int32, capture.EventCount);
            Add(command, "stored", DbType.Int32, outcome.Stored);
            Add(command, "declared", DbType.Int32, outcome.Declared);
            Add(command, "duplicates", DbType.Int32, outcome.Duplicates);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// An EXISTS over the identifier index: one of the roles, and one of the values (exact, or a pattern where
    /// <c>*</c> stands for anything; an EPC pattern <c>urn:epc:idpat:…</c> also matches the ids it describes).
    /// </summary>
    private string IdentifierCondition(DbCommand command, IdentifierFilter filter, int index)
    {
        var roles = string.Join(", ", filter.Roles.Select(r => $"'{RoleName(r)}'"));
        var matches = new List<string>();
        var exact = filter.Values.Where(v => !v.Contains('*', StringComparison.Ordinal)).ToList();
        var prefix = $"m{index.ToString(CultureInfo.InvariantCulture)}";
        if (exact.Count > 0)
        {
            var list = new List<string>();
            In(command, list, "i.value", prefix, exact);
            matches.Add(list[0]);
        }

        var patterns = filter.Values.Where(v => v.Contains('*', StringComparison.Ordinal))
            .SelectMany(v => v.StartsWith("urn:epc:idpat:", StringComparison.Ordinal) ? new[] { v, "urn:epc:id:" + v["urn:epc:idpat:".Length..] } : [v])
            .ToList();
        for (var p = 0; p < patterns.Count; p++)
        {
            var name = $"{prefix}p{p.ToString(CultureInfo.InvariantCulture)}";
            matches.Add(_sqlite ? $"i.value GLOB @{name}" : $"i.value LIKE @{name} ESCAPE '\\'");
            AddText(command, name, _sqlite ? Glob(patterns[p]) : Like(patterns[p]));
        }

        // Also the pattern written literally (an epcClass may itself be an idpat URI).
        if (patterns.Count > 0)
        {
            var literal = new List<string>();
            In(command, literal, "i.value", prefix + "l", filter.Values.Where(v => v.Contains('*', StringComparison.Ordinal)).ToList());
            matches.Add(literal[0]);
        }

        return $"EXISTS (SELECT 1 FROM agrichain_epcis_event_ids i WHERE i.event_key = e.event_key AND i.role IN ({roles}) AND ({string.Join(" OR ", matches)}))";
    }

    private static string Glob(string pattern)
    {
        var builder = new StringBuilder();
        foreach (var c in pattern)
        {
            builder.Append(c switch { '?' => "[?]", '[' => "[[]", ']' => "[]]", _ => c.ToString() });
        }

        return builder.ToString();
    }

    private static string Like(string pattern)
    {
        var builder = new StringBuilder();
        foreach (var c in pattern)
        {
            builder.Append(c switch { '%' => "\\%", '_' => "\\_", '\\' => "\\\\", '*' => "%", _ => c.ToString() });
        }

        return builder.ToString();
    }

    private void In(DbCommand command, List<string> where, string column, string name, IReadOnlyList<string>? values)
    {
        if (values is not { Count: > 0 })
        {
            return;
        }

        if (!_sqlite)
        {
            command.Parameters.Add(new NpgsqlParameter<string[]>(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. values] });
            where.Add($"{column} = ANY(@{name})");
            return;
        }

        // One JSON array, not a parameter a value: the statement reads the same whatever the list's length, where a trace
        // of 1,000 batches made a statement of 1,000 parameters for SQLite to parse and plan on every request.
        AddText(command, name, JsonSerializer.Serialize(values));
        where.Add($"{column} IN (SELECT value FROM json_each(@{name}))");
    }

    private void Bound(DbCommand command, List<string> where, string column, string op, string name, DateTimeOffset? value)
    {
        if (value is { } at)
        {
            where.Add($"{column} {op} @{name}");
            AddTime(command, name, at, _sqlite);
        }
    }

    private async Task<List<(long Key, StoredEpcisEvent Event)>> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<(long, StoredEpcisEvent)>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add((reader.GetInt64(0), new StoredEpcisEvent(reader.GetString(1), Time(reader, 2), reader.GetString(3))));
            }
        }

        return rows;
    }

    private static string SourceName(EpcisEventSource source) => source == EpcisEventSource.Export ? "export" : "capture";

    internal static string RoleName(EpcisIdRole role) => role switch
    {
        EpcisIdRole.Epc => "epc",
        EpcisIdRole.Parent => "parent",
        EpcisIdRole.Input => "input",
        EpcisIdRole.Output => "output",
        EpcisIdRole.Class => "class",
        EpcisIdRole.InputClass => "input-class",
        EpcisIdRole.OutputClass => "output-class",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    private DateTimeOffset Time(DbDataReader reader, int ordinal) => _sqlite
        ? UtcTime.FromUnixMicroseconds(reader.GetInt64(ordinal))
        : UtcTime.FromUtcDateTime(reader.GetFieldValue<DateTime>(ordinal));

    private void AddFlag(DbCommand command, string name, bool value)
    {
        if (_sqlite)
        {
            Add(command, name, DbType.Int64, value ? 1L : 0L);
        }
        else
        {
            Add(command, name, DbType.Boolean, value);
        }
    }
}
