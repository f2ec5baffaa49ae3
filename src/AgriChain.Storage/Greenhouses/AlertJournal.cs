using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using AgriChain.Contracts.Greenhouses;
using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.MasterData;
using Npgsql;
using NpgsqlTypes;
using static AgriChain.Storage.StoreParameters;

namespace AgriChain.Storage.Greenhouses;

/// <summary>
/// The alert journal on <see cref="AgriChainDatabase"/>: table <c>agrichain_alerts</c>, one row per alert id, with a
/// column per alert field and per location filter. Times are kept to the microsecond (PostgreSQL's precision, and the
/// same on SQLite), in UTC; kinds and stages are stored by name.
/// </summary>
public sealed class AlertJournal : IAlertJournal
{
    /// <summary>The largest page a query may ask for.</summary>
    public const int MaxLimit = 1_000;

    private readonly AgriChainDatabase _database;
    private readonly bool _sqlite;
    private readonly string _openedAt;
    private readonly string _closedAt;
    private readonly string _columns;
    private readonly string _upsertSql;

    public AlertJournal(AgriChainDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _sqlite = database.Provider == StorageProvider.Sqlite;
        // SQLite keeps times as unix microseconds, PostgreSQL as timestamptz.
        var suffix = _sqlite ? "_us" : string.Empty;
        _openedAt = "opened_at" + suffix;
        _closedAt = "closed_at" + suffix;
        _columns = "alert_id, greenhouse_id, farm_id, cooperative_id, village, township, county, kind, stage, threshold, "
            + $"{_openedAt}, {_closedAt}, worst_value, minutes_out_of_range, degree_minutes, acknowledged_by, acknowledged_at{suffix}, acknowledgement_note";

        var names = _columns.Split(", ");
        var updates = string.Join(", ", names.Skip(1).Select(name => $"{name} = excluded.{name}"));
        _upsertSql = $"""
            INSERT INTO agrichain_alerts ({_columns})
            VALUES (@id, @greenhouse, @farm, @cooperative, @village, @township, @county, @kind, @stage, @threshold,
                    @openedAt, @closedAt, @worstValue, @minutes, @degreeMinutes, @acknowledgedBy, @acknowledgedAt, @note)
            ON CONFLICT (alert_id) DO UPDATE SET {updates}
            """;
    }

    /// <inheritdoc />
    public async Task UpsertAsync(IReadOnlyList<AlertRecord> alerts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        foreach (var record in alerts)
        {
            Validate(record);
        }

        if (alerts.Count == 0)
        {
            return;
        }

        var connection = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var command = connection.CreateCommand();
                await using (command.ConfigureAwait(false))
                {
                    command.Transaction = transaction;
                    command.CommandText = _upsertSql;
                    // Rows go one after another, so an id given twice ends as its last version.
                    foreach (var (alert, location) in alerts)
                    {
                        command.Parameters.Clear();
                        AddText(command, "id", alert.Id);
                        AddText(command, "greenhouse", alert.GreenhouseId);
                        AddText(command, "farm", location.FarmId);
                        AddText(command, "cooperative", location.CooperativeId);
                        AddText(command, "village", location.Region.Village);
                        AddText(command, "township", location.Region.Township);
                        AddText(command, "county", location.Region.County);
                        AddText(command, "kind", alert.Kind.ToString());
                        AddText(command, "stage", alert.Stage?.ToString());
                        AddNumber(command, "threshold", alert.Threshold);
                        AddTime(command, "openedAt", alert.OpenedAt, _sqlite);
                        AddTime(command, "closedAt", alert.ClosedAt, _sqlite);
                        AddNumber(command, "worstValue", alert.WorstValue);
                        AddNumber(command, "minutes", alert.MinutesOutOfRange);
                        AddNumber(command, "degreeMinutes", alert.DegreeMinutes);
                        AddText(command, "acknowledgedBy", alert.AcknowledgedBy);
                        AddTime(command, "acknowledgedAt", alert.AcknowledgedAt, _sqlite);
                        AddText(command, "note", alert.AcknowledgementNote);
                        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async Task DeleteAsync(IReadOnlyList<string> alertIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alertIds);
        if (alertIds.Count == 0)
        {
            return;
        }

        var connection = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var command = connection.CreateCommand();
                await using (command.ConfigureAwait(false))
                {
                    command.Transaction = transaction;
                    command.CommandText = "DELETE FROM agrichain_alerts WHERE alert_id = @id";
                    var id = AddText(command, "id", null);
                    foreach (var alertId in alertIds)
                    {
                        id.Value = alertId ?? throw new ArgumentException("An alert id is null.", nameof(alertIds));
                        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async Task<AlertRecord?> GetAsync(string alertId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(alertId);
        var connection = await _database.ReadDataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = $"SELECT {_columns} FROM agrichain_alerts WHERE alert_id = @id";
                AddText(command, "id", alertId);
                var rows = await ReadAsync(command, cancellationToken).ConfigureAwait(false);
                return rows.Count == 0 ? null : rows[0];
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The page token is not one this journal issued.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The limit is not within 1..<see cref="MaxLimit"/>.</exception>
    public async Task<AlertPage> QueryAsync(AlertQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, MaxLimit, nameof(query));
        if (!Enum.IsDefined(query.State))
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.State, "Unknown alert state filter.");
        }

        var after = query.PageToken is null ? ((long, string)?)null : KeysetPageToken.Decode(query.PageToken, 512);
        if (query.FarmIds is { Count: 0 })
        {
            // Restricted to no farm at all.
            return new AlertPage([], null);
        }

        var connection = await _database.ReadDataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                var where = new List<string>();
                switch (query.State)
                {
                    case AlertStateFilter.Open:
                        where.Add($"{_closedAt} IS NULL");
                        break;
                    case AlertStateFilter.Closed:
                        where.Add($"{_closedAt} IS NOT NULL");
                        break;
                }

                Equal(command, where, "greenhouse_id", query.GreenhouseId);
                Equal(command, where, "cooperative_id", query.CooperativeId);
                Equal(command, where, "village", query.Village);
                Equal(command, where, "township", query.Township);
                Equal(command, where, "county", query.County);
                if (query.FarmIds is { } farmIds)
                {
                    where.Add(InFarms(command, farmIds));
                }

                if (after is var (openedAt, alertId))
                {
                    // Newest first, ties by id: the next page starts strictly after the last row of this one.
                    where.Add($"({_openedAt} < @afterOpenedAt OR ({_openedAt} = @afterOpenedAt AND alert_id > @afterId))");
                    AddTime(command, "afterOpenedAt", UtcTime.FromUnixMicroseconds(openedAt), _sqlite);
                    AddText(command, "afterId", alertId);
                }

                // One row more than asked tells whether another page follows.
                command.CommandText = new StringBuilder()
                    .Append(CultureInfo.InvariantCulture, $"SELECT {_columns} FROM agrichain_alerts")
                    .Append(where.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", where))
                    .Append(CultureInfo.InvariantCulture, $" ORDER BY {_openedAt} DESC, alert_id LIMIT {query.Limit + 1}")
                    .ToString();

                var rows = await ReadAsync(command, cancellationToken).ConfigureAwait(false);
                if (rows.Count <= query.Limit)
                {
                    return new AlertPage(rows, null);
                }

                rows.RemoveAt(rows.Count - 1);
                var last = rows[^1].Alert;
                return new AlertPage(rows, KeysetPageToken.Encode(UtcTime.ToUnixMicroseconds(last.OpenedAt), last.Id));
            }
        }
    }

    private static void Validate(AlertRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var (alert, location) = record;
        if (alert is null || location?.Region is null)
        {
            throw new ArgumentException("An alert record needs its alert, location and region.", nameof(record));
        }

        if (string.IsNullOrEmpty(alert.Id))
        {
            throw new ArgumentException("An alert needs an id.", nameof(record));
        }

        if (!string.Equals(alert.GreenhouseId, location.GreenhouseId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Alert {alert.Id} is of greenhouse '{alert.GreenhouseId}' but its location is of '{location.GreenhouseId}'.", nameof(record));
        }
    }

    private static void Equal(DbCommand command, List<string> where, string column, string? value)
    {
        if (value is null)
        {
            return;
        }

        where.Add($"{column} = @{column}");
        AddText(command, column, value);
    }

    private string InFarms(DbCommand command, IReadOnlyList<string> farmIds)
    {
        if (!_sqlite)
        {
            command.Parameters.Add(new NpgsqlParameter<string[]>("farms", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. farmIds] });
            return "farm_id = ANY(@farms)";
        }

        var names = new string[farmIds.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = "@farm" + i.ToString(CultureInfo.InvariantCulture);
            AddText(command, names[i][1..], farmIds[i]);
        }

        return $"farm_id IN ({string.Join(", ", names)})";
    }

    private async Task<List<AlertRecord>> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var records = new List<AlertRecord>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var alert = new Alert(
                    Id: reader.GetString(0),
                    GreenhouseId: reader.GetString(1),
                    Kind: Enum.Parse<AlertKind>(reader.GetString(7)),
                    Stage: reader.IsDBNull(8) ? null : Enum.Parse<GrowthStage>(reader.GetString(8)),
                    Threshold: NullableDouble(reader, 9),
                    OpenedAt: Time(reader, 10),
                    ClosedAt: reader.IsDBNull(11) ? null : Time(reader, 11),
                    WorstValue: NullableDouble(reader, 12),
                    MinutesOutOfRange: reader.GetDouble(13),
                    DegreeMinutes: reader.GetDouble(14),
                    AcknowledgedBy: reader.IsDBNull(15) ? null : reader.GetString(15),
                    AcknowledgedAt: reader.IsDBNull(16) ? null : Time(reader, 16),
                    AcknowledgementNote: reader.IsDBNull(17) ? null : reader.GetString(17));
                var location = new GreenhouseLocation(
                    alert.GreenhouseId,
                    reader.GetString(2),
                    reader.GetString(3),
                    new Region(reader.GetString(4), reader.GetString(5), reader.GetString(6)));
                records.Add(new AlertRecord(alert, location));
            }
        }

        return records;
    }

    private DateTimeOffset Time(DbDataReader reader, int ordinal) => _sqlite
        ? UtcTime.FromUnixMicroseconds(reader.GetInt64(ordinal))
        : UtcTime.FromUtcDateTime(reader.GetFieldValue<DateTime>(ordinal));

    private static double? NullableDouble(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    private static DbParameter AddNumber(DbCommand command, string name, double? value) => Add(command, name, DbType.Double, value);
}
