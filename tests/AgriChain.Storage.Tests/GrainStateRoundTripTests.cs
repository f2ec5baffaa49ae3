using System.Globalization;
using AgriChain.Storage.Tests.Grains;
using AgriChain.Storage.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Storage;

namespace AgriChain.Storage.Tests;

/// <summary>
/// The same behaviour, checked on each database: a silo configured with UseAgriChainStorage on a fresh database keeps
/// grain state and reminders, and refuses stale writes.
/// </summary>
public abstract class GrainStateRoundTripTests(StorageTestContext context) : IAsyncLifetime
{
    /// <summary>A second provider on the same database that deletes the row on clear.</summary>
    private const string DeleteOnClearStorage = "delete-on-clear";

    /// <summary>A provider on the same database with Orleans' default JSON serializer, as state was stored before.</summary>
    private const string JsonStorage = "json-before";

    private const string DirectStateName = "direct-probe";

    protected StorageTestContext Context => context;

    private TestSilo Silo => context.Silo;

    /// <summary>Creates an empty database and returns the "Storage" settings that reach it.</summary>
    protected abstract Task<StorageSettings> CreateDatabaseAsync(string hint);

    public Task InitializeAsync() => context.EnsureSiloAsync(() => CreateDatabaseAsync("shared"), ConfigureSilo);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task WrittenState_IsReadBackAfterDeactivation()
    {
        var grain = Silo.Grains.GetGrain<IProbeGrain>($"round-trip-{Guid.NewGuid():N}");
        await grain.SaveAsync("tomatoes", 42);
        await grain.SaveAsync("peppers", 43);
        var firstActivation = await grain.GetActivationIdAsync();

        await grain.DeactivateAsync();
        await Eventually.Satisfies(grain.GetActivationIdAsync, id => id != firstActivation, "a new activation after DeactivateOnIdle");

        var state = await grain.GetStateAsync();
        Assert.Equal("peppers", state.Value);
        Assert.Equal(43, state.Count);
        Assert.Equal(["tomatoes", "peppers"], state.History);
        Assert.Equal("2", await grain.GetETagAsync());
    }

    [Fact]
    public async Task WriteWithStaleETag_RaisesInconsistentState_AndKeepsFirstWrite()
    {
        var storage = Silo.DefaultGrainStorage;
        var grainId = NewDirectGrainId("stale");
        var initial = new GrainState<ProbeState>(new ProbeState { Value = "initial" });
        await storage.WriteStateAsync(DirectStateName, grainId, initial);
        Assert.Equal("1", initial.ETag);

        var first = new GrainState<ProbeState>(new ProbeState { Value = "first" }, initial.ETag);
        var second = new GrainState<ProbeState>(new ProbeState { Value = "second" }, initial.ETag);
        await storage.WriteStateAsync(DirectStateName, grainId, first);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(DirectStateName, grainId, second));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(DirectStateName, grainId, second));

        var stored = await ReadDirectAsync(storage, grainId);
        Assert.Equal("first", stored.State.Value);
        Assert.Equal("2", stored.ETag);
        Assert.Equal(first.ETag, stored.ETag);
        Assert.True(stored.RecordExists);

        // The payload is in the binary form behind its marker, not JSON.
        var payload = Assert.IsType<byte[]>(await Sql.ScalarAsync(Silo.Database,
            $"SELECT PayloadBinary FROM OrleansStorage WHERE GrainIdExtensionString = '{grainId.Key}'"));
        Assert.True(GrainStateSerializer.IsBinary(payload));
        Assert.DoesNotContain("\"first\"", System.Text.Encoding.UTF8.GetString(payload), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StateWrittenAsJsonBeforeTheBinaryForm_IsReadBack_AndTurnsBinaryOnItsNextWrite()
    {
        var jsonStorage = Silo.Host.Services.GetRequiredKeyedService<IGrainStorage>(JsonStorage);
        var grainId = NewDirectGrainId("json-row");
        var old = new GrainState<ProbeState>(new ProbeState { Value = "written as json", Count = 3, History = ["a", "b"] });
        await jsonStorage.WriteStateAsync(DirectStateName, grainId, old);
        var select = $"SELECT PayloadBinary FROM OrleansStorage WHERE GrainIdExtensionString = '{grainId.Key}'";
        var json = Assert.IsType<byte[]>(await Sql.ScalarAsync(Silo.Database, select));
        Assert.StartsWith("{", System.Text.Encoding.UTF8.GetString(json), StringComparison.Ordinal);

        var stored = await ReadDirectAsync(Silo.DefaultGrainStorage, grainId);
        Assert.Equal(("written as json", 3, "1"), (stored.State.Value, stored.State.Count, stored.ETag));
        Assert.Equal(["a", "b"], stored.State.History);

        var next = new GrainState<ProbeState>(new ProbeState { Value = "rewritten", Count = 4 }, stored.ETag);
        await Silo.DefaultGrainStorage.WriteStateAsync(DirectStateName, grainId, next);
        Assert.True(GrainStateSerializer.IsBinary(Assert.IsType<byte[]>(await Sql.ScalarAsync(Silo.Database, select))));
        var again = await ReadDirectAsync(Silo.DefaultGrainStorage, grainId);
        Assert.Equal(("rewritten", 4, "2"), (again.State.Value, again.State.Count, again.ETag));
    }

    [Fact]
    public async Task TwoFirstWritesWithoutETag_SecondRaisesInconsistentState()
    {
        var storage = Silo.DefaultGrainStorage;
        var grainId = NewDirectGrainId("double-insert");
        var first = new GrainState<ProbeState>(new ProbeState { Value = "first" });
        var second = new GrainState<ProbeState>(new ProbeState { Value = "second" });

        await storage.WriteStateAsync(DirectStateName, grainId, first);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(DirectStateName, grainId, second));

        var stored = await ReadDirectAsync(storage, grainId);
        Assert.Equal("first", stored.State.Value);
        Assert.Equal("1", stored.ETag);
    }

    [Fact]
    public async Task MissingState_ReadsAsDefaultWithoutETag()
    {
        var stored = await ReadDirectAsync(Silo.DefaultGrainStorage, NewDirectGrainId("missing"));

        Assert.Null(stored.State.Value);
        Assert.Null(stored.ETag);
        Assert.False(stored.RecordExists);
    }

    [Fact]
    public async Task ClearState_ResetsToDefault_AndLaterWritesSucceed()
    {
        var grain = Silo.Grains.GetGrain<IProbeGrain>($"clear-{Guid.NewGuid():N}");
        await grain.SaveAsync("lettuce", 7);

        await grain.ClearAsync();
        var firstActivation = await grain.GetActivationIdAsync();
        await grain.DeactivateAsync();
        await Eventually.Satisfies(grain.GetActivationIdAsync, id => id != firstActivation, "a new activation after DeactivateOnIdle");

        var cleared = await grain.GetStateAsync();
        Assert.Null(cleared.Value);
        Assert.Equal(0, cleared.Count);
        Assert.Empty(cleared.History);

        await grain.SaveAsync("basil", 8);
        var stored = await ReadDirectAsync(Silo.DefaultGrainStorage, grain.GetGrainId(), "probe");
        Assert.Equal("basil", stored.State.Value);
        Assert.Equal("3", stored.ETag);
    }

    [Fact]
    public async Task ClearWithDeleteStateOnClear_RemovesTheRow()
    {
        var storage = Silo.Host.Services.GetRequiredKeyedService<IGrainStorage>(DeleteOnClearStorage);
        var grainId = NewDirectGrainId("delete");
        var state = new GrainState<ProbeState>(new ProbeState { Value = "doomed" });
        await storage.WriteStateAsync(DirectStateName, grainId, state);

        await storage.ClearStateAsync(DirectStateName, grainId, state);

        Assert.False(state.RecordExists);
        var stored = await ReadDirectAsync(storage, grainId);
        Assert.False(stored.RecordExists);
        Assert.Null(stored.ETag);
        Assert.Equal(0, await Sql.CountAsync(Silo.Database,
            $"SELECT COUNT(*) FROM OrleansStorage WHERE GrainIdExtensionString = '{grainId.Key}'"));

        var again = new GrainState<ProbeState>(new ProbeState { Value = "reborn" });
        await storage.WriteStateAsync(DirectStateName, grainId, again);
        Assert.Equal("1", again.ETag);
    }

    [Fact]
    public async Task SixtyFourGrainsWritingConcurrently_AllSucceedAndReadBack()
    {
        const int GrainCount = 64;
        const int WritesPerGrain = 4;
        var run = Guid.NewGuid().ToString("N");
        var grains = Enumerable.Range(0, GrainCount)
            .Select(index => Silo.Grains.GetGrain<IProbeGrain>($"concurrent-{run}-{index}"))
            .ToArray();

        await Task.WhenAll(grains.Select(async (grain, index) =>
        {
            for (var write = 1; write <= WritesPerGrain; write++)
            {
                await grain.SaveAsync($"grain{index}-write{write}", write);
            }
        }));

        for (var index = 0; index < GrainCount; index++)
        {
            var stored = await ReadDirectAsync(Silo.DefaultGrainStorage, grains[index].GetGrainId(), "probe");
            Assert.Equal($"grain{index}-write{WritesPerGrain}", stored.State.Value);
            Assert.Equal(WritesPerGrain, stored.State.Count);
            Assert.Equal(WritesPerGrain.ToString(CultureInfo.InvariantCulture), stored.ETag);
        }
    }

    [Fact]
    public async Task ReminderAndState_SurviveSiloRestartOnTheSameDatabase()
    {
        var settings = await CreateDatabaseAsync("restart");
        var serviceId = $"restart-{Guid.NewGuid():N}";
        var period = TimeSpan.FromMinutes(10);
        DateTime registeredAt;

        await using (var first = await TestSilo.StartAsync(settings, serviceId))
        {
            var grain = first.Grains.GetGrain<IProbeGrain>("greenhouse-7");
            await grain.SaveAsync("before restart", 1);
            registeredAt = DateTime.UtcNow;
            await grain.RegisterReminderAsync("ventilate", period);
            Assert.True(await grain.HasReminderAsync("ventilate"));
        }

        await using var second = await TestSilo.StartAsync(settings, serviceId);
        var restarted = second.Grains.GetGrain<IProbeGrain>("greenhouse-7");
        Assert.True(await restarted.HasReminderAsync("ventilate"), "the reminder registered before the restart");
        Assert.False(await restarted.HasReminderAsync("never-registered"));
        Assert.Equal("before restart", (await restarted.GetStateAsync()).Value);

        var (storedPeriod, startTime) = await Sql.ReadSingleAsync(second.Database,
            $"SELECT Period, StartTime FROM OrleansRemindersTable WHERE ServiceId = '{serviceId}' AND ReminderName = 'ventilate'",
            reader => (reader.GetInt64(0), reader.GetDateTime(1)));
        Assert.Equal((long)period.TotalMilliseconds, storedPeriod);
        // The first tick is due one period after registration; a time-zone slip would show as whole hours.
        var expectedStart = registeredAt + period;
        Assert.InRange(startTime, expectedStart - TimeSpan.FromMinutes(1), expectedStart + TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task ApplyingSchemaAgain_IsIdempotent_AndRefreshesQueryText()
    {
        var settings = await CreateDatabaseAsync("schema");
        await using var database = new AgriChainDatabase(settings.ToOptions());
        Assert.Equal(0, await database.GetSchemaVersionAsync(CancellationToken.None));

        await database.ApplySchemaAsync(CancellationToken.None);
        var queryCount = await Sql.CountAsync(database, "SELECT COUNT(*) FROM OrleansQuery");
        var readQuery = await Sql.ScalarAsync(database, "SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'ReadFromStorageKey'");
        await Sql.ExecuteAsync(database,
            "INSERT INTO OrleansStorage (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString, PayloadBinary, Version) VALUES ('svc', 'kept', 0, 0, 'row', NULL, 7)");
        await Sql.ExecuteAsync(database, "UPDATE OrleansQuery SET QueryText = 'stale' WHERE QueryKey = 'ReadFromStorageKey'");

        await database.ApplySchemaAsync(CancellationToken.None);
        await database.ApplySchemaAsync(CancellationToken.None);

        // Grain storage and reminders own 11 keys; later scripts (clustering) may add theirs.
        Assert.Equal(11, await Sql.CountAsync(database, "SELECT COUNT(*) FROM OrleansQuery WHERE QueryKey IN ('WriteToStorageKey','ReadFromStorageKey','ClearStorageKey','DeleteStorageKey','UpsertReminderRowKey','ReadReminderRowsKey','ReadReminderRowKey','ReadRangeRows1Key','ReadRangeRows2Key','DeleteReminderRowKey','DeleteReminderRowsKey')"));
        Assert.Equal(queryCount, await Sql.CountAsync(database, "SELECT COUNT(*) FROM OrleansQuery"));
        Assert.Equal(readQuery, await Sql.ScalarAsync(database, "SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'ReadFromStorageKey'"));
        Assert.Equal(1, await Sql.CountAsync(database, "SELECT COUNT(*) FROM OrleansStorage WHERE GrainTypeString = 'kept' AND Version = 7"));
        Assert.Equal(database.SchemaScripts[^1].Version, await database.GetSchemaVersionAsync(CancellationToken.None));
        Assert.Equal(database.SchemaScripts.Count, await Sql.CountAsync(database, "SELECT COUNT(*) FROM agrichain_schema_version"));
    }

    [Fact]
    public async Task Ping_AnswersForAReachableDatabase()
    {
        Assert.True(await Silo.Database.PingAsync(CancellationToken.None));
    }

    private static void ConfigureSilo(ISiloBuilder silo)
    {
        silo.AddAdoNetGrainStorage(DeleteOnClearStorage, options => options.Configure<AgriChainDatabase>((storage, database) =>
        {
            storage.Invariant = database.Invariant;
            storage.DataSource = database.DataSource;
            storage.DeleteStateOnClear = true;
        }));

        // Orleans' ADO.NET storage with its default serializer (JSON): how AgriChain wrote grain state before.
        silo.AddAdoNetGrainStorage(JsonStorage, options => options.Configure<AgriChainDatabase>((storage, database) =>
        {
            storage.Invariant = database.Invariant;
            storage.DataSource = database.DataSource;
        }));
    }

    private static GrainId NewDirectGrainId(string purpose) => GrainId.Create("direct-probe", $"{purpose}-{Guid.NewGuid():N}");

    private static async Task<Stored> ReadDirectAsync(IGrainStorage storage, GrainId grainId, string stateName = DirectStateName)
    {
        var state = new GrainState<ProbeState>(new ProbeState());
        await storage.ReadStateAsync(stateName, grainId, state);
        Assert.NotNull(state.State);
        return new Stored(state.State, state.ETag, state.RecordExists);
    }

    private sealed record Stored(ProbeState State, string? ETag, bool RecordExists);
}
