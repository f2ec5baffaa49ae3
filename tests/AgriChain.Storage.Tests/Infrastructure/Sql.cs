using System.Data.Common;

namespace AgriChain.Storage.Tests.Infrastructure;

/// <summary>Small raw-SQL helpers for assertions on what the providers stored.</summary>
public static class Sql
{
    public static async Task<object?> ScalarAsync(AgriChainDatabase database, string sql)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    public static async Task<long> CountAsync(AgriChainDatabase database, string sql) =>
        Convert.ToInt64(await ScalarAsync(database, sql), System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<int> ExecuteAsync(AgriChainDatabase database, string sql)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    public static async Task<T> ReadSingleAsync<T>(AgriChainDatabase database, string sql, Func<DbDataReader, T> map)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"Expected one row from: {sql}");
        var result = map(reader);
        Assert.False(await reader.ReadAsync(), $"Expected only one row from: {sql}");
        return result;
    }
}
