using System.Data;
using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace AgriChain.Storage;

/// <summary>
/// Command parameters as the project's own stores bind them on either database: text, and times kept to the
/// microsecond in UTC (SQLite as unix microseconds in an integer column, PostgreSQL as <c>timestamptz</c>).
/// </summary>
internal static class StoreParameters
{
    public static DbParameter Add(DbCommand command, string name, DbType type, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    public static DbParameter AddText(DbCommand command, string name, string? value) => Add(command, name, DbType.String, value);

    public static void AddTime(DbCommand command, string name, DateTimeOffset? value, bool sqlite)
    {
        if (sqlite)
        {
            Add(command, name, DbType.Int64, value is { } time ? UtcTime.ToUnixMicroseconds(time) : null);
            return;
        }

        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.TimestampTz)
        {
            Value = value is { } at ? UtcTime.TruncateToMicroseconds(at).UtcDateTime : DBNull.Value,
        });
    }
}
