using System.Globalization;
using AgriChain.Cluster.Tests.Infrastructure;
using AgriChain.Storage;
using Npgsql;

namespace AgriChain.Cluster.Tests;

/// <summary>
/// The clustering queries of deploy/sql/postgresql/006-clustering.sql, run as Orleans' ADO.NET membership table runs
/// them (the text from OrleansQuery, parameters bound by name): conditional writes succeed only on the current
/// version and raise it in the same statement, so that of two silos writing with one version exactly one wins.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class MembershipTableTests(ClusterEnvironment environment)
{
    private const int Joining = 2;
    private const int Active = 3;
    private const int Dead = 6;

    [Fact]
    public async Task VersionRow_IsCreatedOnce_AndReadsReturnItWithoutSilos()
    {
        var table = await MembershipTable.CreateAsync(environment, "version");

        Assert.True(await table.BooleanAsync("InsertMembershipVersionKey", table.Cluster()));
        Assert.False(await table.BooleanAsync("InsertMembershipVersionKey", table.Cluster()));

        var rows = await table.ReadAllAsync();
        var only = Assert.Single(rows);
        Assert.Null(only.Address);
        Assert.Equal(0, only.Version);
    }

    [Fact]
    public async Task ConditionalWrites_SucceedOnlyOnTheCurrentVersion_AndRaiseItWithTheRow()
    {
        var table = await MembershipTable.CreateAsync(environment, "conditional");
        await table.BooleanAsync("InsertMembershipVersionKey", table.Cluster());

        Assert.False(await table.BooleanAsync("InsertMembershipKey", table.Silo(11111, version: 5, status: Joining)));
        Assert.DoesNotContain(await table.ReadAllAsync(), r => r.Address is not null);

        Assert.True(await table.BooleanAsync("InsertMembershipKey", table.Silo(11111, version: 0, status: Joining)));
        Assert.False(await table.BooleanAsync("InsertMembershipKey", table.Silo(11111, version: 1, status: Joining)));
        Assert.Equal(1, (await table.ReadAllAsync()).Single().Version);

        Assert.False(await table.BooleanAsync("UpdateMembershipKey", table.Silo(11111, version: 0, status: Active)));
        Assert.Equal(Joining, (await table.ReadAllAsync()).Single().Status);
        Assert.True(await table.BooleanAsync("UpdateMembershipKey", table.Silo(11111, version: 1, status: Active, suspectTimes: "127.0.0.1:22222@1,2026-01-01 00:00:00.000 GMT")));
        var row = Assert.Single(await table.ReadRowAsync(11111));
        Assert.Equal((Active, 2, "127.0.0.1:22222@1,2026-01-01 00:00:00.000 GMT"), (row.Status, row.Version, row.SuspectTimes));

        // An update of a silo that has no row changes nothing, the version included.
        Assert.False(await table.BooleanAsync("UpdateMembershipKey", table.Silo(33333, version: 2, status: Dead)));
        Assert.Equal(2, (await table.ReadAllAsync()).Single().Version);

        // The heartbeat touches only its row's time.
        var heartbeat = new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        await table.ExecuteAsync("UpdateIAmAlivetimeKey", table.Silo(11111, version: 2, status: Active, iAmAlive: heartbeat));
        row = Assert.Single(await table.ReadRowAsync(11111));
        Assert.Equal((heartbeat, 2), (row.IAmAliveTime, row.Version));

        Assert.Equal([("127.0.0.1", 30000, 7)], await table.GatewaysAsync(Active));
    }

    [Fact]
    public async Task TwoSilosWritingWithOneVersion_ExactlyOneWins_EveryTime()
    {
        var table = await MembershipTable.CreateAsync(environment, "race");
        await table.BooleanAsync("InsertMembershipVersionKey", table.Cluster());
        for (var port = 1; port <= 4; port++)
        {
            var version = (await table.ReadAllAsync())[0].Version;
            Assert.True(await table.BooleanAsync("InsertMembershipKey", table.Silo(port, version, Joining)));
        }

        for (var round = 0; round < 25; round++)
        {
            var version = (await table.ReadAllAsync())[0].Version;
            var outcomes = await Task.WhenAll(
                table.BooleanAsync("UpdateMembershipKey", table.Silo(1 + (round % 4), version, Active)),
                table.BooleanAsync("UpdateMembershipKey", table.Silo(1 + ((round + 1) % 4), version, Dead)),
                table.BooleanAsync("InsertMembershipKey", table.Silo(100 + round, version, Joining)));

            Assert.Equal(1, outcomes.Count(won => won));
            Assert.Equal(version + 1, (await table.ReadAllAsync())[0].Version);
        }

        // Only the inserts that won left a row.
        var rows = await table.ReadAllAsync();
        Assert.Equal(4 + rows.Count(r => r.Port >= 100), rows.Count);
    }

    [Fact]
    public async Task Cleanup_RemovesOnlyDeadSilosWithOldHeartbeats_AndDeleteRemovesTheCluster()
    {
        var table = await MembershipTable.CreateAsync(environment, "cleanup");
        await table.BooleanAsync("InsertMembershipVersionKey", table.Cluster());
        var old = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var recent = DateTime.UtcNow;
        var writes = new (int Port, int Status, DateTime Alive)[] { (1, Dead, old), (2, Dead, recent), (3, Active, old) };
        foreach (var (port, status, alive) in writes)
        {
            var version = (await table.ReadAllAsync())[0].Version;
            Assert.True(await table.BooleanAsync("InsertMembershipKey", table.Silo(port, version, status, iAmAlive: alive)));
        }

        await table.ExecuteAsync("CleanupDefunctSiloEntriesKey", table.Cluster(("IAmAliveTime", recent.AddHours(-1))));
        Assert.Equal([2, 3], (await table.ReadAllAsync()).Select(r => r.Port!.Value).Order());

        await table.ExecuteAsync("DeleteMembershipTableEntriesKey", table.Cluster());
        Assert.Empty(await table.ReadAllAsync());
    }

    /// <summary>One cluster's membership in a fresh database with the schema applied, queried through OrleansQuery.</summary>
    private sealed class MembershipTable
    {
        private readonly string _connectionString;
        private readonly Dictionary<string, string> _queries;
        private readonly string _cluster = Api.NewId("cluster");

        private MembershipTable(string connectionString, Dictionary<string, string> queries)
        {
            _connectionString = connectionString;
            _queries = queries;
        }

        public static async Task<MembershipTable> CreateAsync(ClusterEnvironment environment, string hint)
        {
            var connectionString = await environment.Postgres.CreateDatabaseAsync($"membership_{hint}");
            await using (var database = new AgriChainDatabase(new StorageOptions { Provider = "PostgreSql", ConnectionString = connectionString }))
            {
                await database.ApplySchemaAsync(CancellationToken.None);
            }

            var queries = new Dictionary<string, string>(StringComparer.Ordinal);
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT QueryKey, QueryText FROM OrleansQuery", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                queries[reader.GetString(0)] = reader.GetString(1);
            }

            return new MembershipTable(connectionString, queries);
        }

        public Dictionary<string, object?> Cluster(params (string Name, object? Value)[] extra)
        {
            var parameters = new Dictionary<string, object?> { ["DeploymentId"] = _cluster };
            foreach (var (name, value) in extra)
            {
                parameters[name] = value;
            }

            return parameters;
        }

        /// <summary>The parameters Orleans binds for a silo's row.</summary>
        public Dictionary<string, object?> Silo(int port, int version, int status, string? suspectTimes = null, DateTime? iAmAlive = null) => Cluster(
            ("Address", "127.0.0.1"),
            ("Port", port),
            ("Generation", 7),
            ("SiloName", $"silo-{port.ToString(CultureInfo.InvariantCulture)}"),
            ("HostName", "test-host"),
            ("Status", status),
            ("ProxyPort", 30000),
            ("StartTime", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
            ("IAmAliveTime", iAmAlive ?? new DateTime(2026, 1, 1, 0, 0, 1, DateTimeKind.Utc)),
            ("SuspectTimes", suspectTimes),
            ("Version", version));

        public async Task<bool> BooleanAsync(string key, Dictionary<string, object?> parameters)
        {
            var rows = await QueryAsync(key, parameters, r => Convert.ToBoolean(r.GetValue(0), CultureInfo.InvariantCulture), expectedColumns: 1);
            return Assert.Single(rows);
        }

        public async Task ExecuteAsync(string key, Dictionary<string, object?> parameters)
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync();
            await using var command = Command(connection, key, parameters);
            await command.ExecuteNonQueryAsync();
        }

        public Task<List<Row>> ReadAllAsync() => QueryAsync("MembershipReadAllKey", Cluster(), Row.From);

        public Task<List<Row>> ReadRowAsync(int port) => QueryAsync("MembershipReadRowKey", Silo(port, 0, 0), Row.From);

        public Task<List<(string, int, int)>> GatewaysAsync(int status) => QueryAsync("GatewaysQueryKey", Cluster(("Status", status)),
            r => (r.GetString(r.GetOrdinal("Address")), r.GetInt32(r.GetOrdinal("ProxyPort")), r.GetInt32(r.GetOrdinal("Generation"))));

        private async Task<List<T>> QueryAsync<T>(string key, Dictionary<string, object?> parameters, Func<NpgsqlDataReader, T> map, int? expectedColumns = null)
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync();
            await using var command = Command(connection, key, parameters);
            await using var reader = await command.ExecuteReaderAsync();
            if (expectedColumns is { } columns)
            {
                Assert.Equal(columns, reader.FieldCount);
            }

            var rows = new List<T>();
            while (await reader.ReadAsync())
            {
                rows.Add(map(reader));
            }

            return rows;
        }

        private NpgsqlCommand Command(NpgsqlConnection connection, string key, Dictionary<string, object?> parameters)
        {
            var command = new NpgsqlCommand(_queries[key], connection);
            foreach (var (name, value) in parameters)
            {
                command.Parameters.Add(new NpgsqlParameter(name, value ?? DBNull.Value));
            }

            return command;
        }
    }

    private sealed record Row(string? Address, int? Port, int? Status, string? SuspectTimes, DateTime? IAmAliveTime, int Version)
    {
        public static Row From(NpgsqlDataReader r)
        {
            int? Int(string column) => r.IsDBNull(r.GetOrdinal(column)) ? null : r.GetInt32(r.GetOrdinal(column));
            string? Text(string column) => r.IsDBNull(r.GetOrdinal(column)) ? null : r.GetString(r.GetOrdinal(column));
            var alive = r.GetOrdinal("IAmAliveTime");
            return new Row(Text("Address"), Int("Port"), Int("Status"), Text("SuspectTimes"),
                r.IsDBNull(alive) ? null : r.GetDateTime(alive), r.GetInt32(r.GetOrdinal("Version")));
        }
    }
}
