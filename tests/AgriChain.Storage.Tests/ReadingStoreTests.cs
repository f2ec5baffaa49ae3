using System.Data.Common;
using AgriChain.Contracts.Greenhouses;
using AgriChain.Domain.Greenhouses;
using AgriChain.Storage.Greenhouses;
using AgriChain.Storage.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgriChain.Storage.Tests;

/// <summary>
/// The reading store, checked on each database: group-committed appends that drop duplicates, reads by time and by
/// sequence, and buckets aggregated in SQL. Most tests share the store of one silo per class (each on greenhouses of
/// its own); those that need to hold the only connection, break the table or restart use a database of their own.
/// </summary>
public abstract class ReadingStoreTests(StorageTestContext context) : IAsyncLifetime
{
    /// <summary>A Monday in the flowering season, UTC.</summary>
    protected static readonly DateTimeOffset Day = new(2025, 3, 10, 0, 0, 0, TimeSpan.Zero);

    protected StorageTestContext Context => context;

    private IReadingStore Store => context.Silo.Host.Services.GetRequiredService<IReadingStore>();

    /// <summary>
    /// Creates an empty database. With <paramref name="singleConnection"/> the data source hands out one connection at a
    /// time (SQLite always does), so that a test holding it stops the writer before its transaction.
    /// </summary>
    protected abstract Task<StorageSettings> CreateDatabaseAsync(string hint, bool singleConnection = false);

    /// <summary>SQL that makes every insert of a reading from sensor 'poison' fail, inside the writer's transaction.</summary>
    protected abstract string PoisonTriggerSql { get; }

    protected abstract string DropPoisonTriggerSql { get; }

    public Task InitializeAsync() => context.EnsureSiloAsync(() => CreateDatabaseAsync("readings"));

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Append_ReturnsTheNewReadings_WithSequencesIncreasingInAppendOrder()
    {
        var greenhouse = NewGreenhouse();
        var first = Enumerable.Range(0, 5).Select(i => At(i, 9 + i, humidity: 80 - i)).ToArray();
        var second = Enumerable.Range(5, 3).Select(i => At(i, 9 + i)).ToArray();

        var firstResult = await Store.AppendAsync(greenhouse, first);
        var secondResult = await Store.AppendAsync(greenhouse, second);

        Assert.Equal(0, firstResult.Duplicates);
        Assert.Equal(first, firstResult.Inserted.Select(stored => stored.ToReading()));
        Assert.Equal(second, secondResult.Inserted.Select(stored => stored.ToReading()));
        var sequences = firstResult.Inserted.Concat(secondResult.Inserted).Select(stored => stored.Sequence).ToArray();
        Assert.All(sequences.Zip(sequences.Skip(1)), pair => Assert.True(pair.First < pair.Second, $"sequence {pair.Second} should follow {pair.First}"));
        Assert.All(firstResult.Inserted, stored => Assert.Equal(TimeSpan.Zero, stored.At.Offset));
    }

    [Fact]
    public async Task DuplicatesWithinOneCall_AreStoredOnce_AndTheFirstWins()
    {
        var greenhouse = NewGreenhouse();
        var readings = new[]
        {
            At(0, 10.0),
            At(1, 11.0),
            At(0, 99.0),
            // The same sensor and time, less than a millisecond later: times are kept to the millisecond.
            new Reading(Day.AddMinutes(1).AddTicks(4_000), 98.0, null, "s1"),
            At(0, 12.0, sensor: "s2"),
            At(2, 13.0),
        };

        var result = await Store.AppendAsync(greenhouse, readings);

        Assert.Equal(2, result.Duplicates);
        Assert.Equal([10.0, 11.0, 12.0, 13.0], result.Inserted.Select(stored => stored.TemperatureC));
        var stored = await Store.ReadAsync(greenhouse, Day, Day.AddHours(1), 100);
        Assert.Equal([(0, "s1", 10.0), (0, "s2", 12.0), (1, "s1", 11.0), (2, "s1", 13.0)],
            stored.Select(reading => ((int)(reading.At - Day).TotalMinutes, reading.SensorId, reading.TemperatureC)));
    }

    [Fact]
    public async Task DuplicatesAcrossCalls_AreCounted_AndNotStoredAgain()
    {
        var greenhouse = NewGreenhouse();
        var other = NewGreenhouse();
        await Store.AppendAsync(greenhouse, [At(0, 10), At(1, 11), At(2, 12)]);

        var again = await Store.AppendAsync(greenhouse, [At(1, 50), At(2, 50), At(3, 13)]);
        var elsewhere = await Store.AppendAsync(other, [At(1, 21)]);

        Assert.Equal(2, again.Duplicates);
        Assert.Equal([At(3, 13)], again.Inserted.Select(stored => stored.ToReading()));
        Assert.Equal(0, elsewhere.Duplicates);
        Assert.Equal([10.0, 11.0, 12.0, 13.0], (await Store.ReadAsync(greenhouse, Day, Day.AddDays(1), 100)).Select(reading => reading.TemperatureC));
    }

    [Fact]
    public async Task ConcurrentAppendsOfTheSameReadings_StoreEachOnce()
    {
        const int Callers = 20;
        const int Readings = 10;
        var greenhouse = NewGreenhouse();
        var readings = Enumerable.Range(0, Readings).Select(i => At(i, 10 + i)).ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(() => Store.AppendAsync(greenhouse, readings))));

        var inserted = results.SelectMany(result => result.Inserted).ToArray();
        Assert.Equal(Readings, inserted.Length);
        Assert.Equal(readings, inserted.Select(stored => stored.ToReading()).OrderBy(reading => reading.At));
        Assert.Equal((Callers - 1) * Readings, results.Sum(result => result.Duplicates));
        Assert.Equal(Readings, (await Store.ReadAfterAsync(greenhouse, 0, 1_000)).Count);
    }

    [Fact]
    public async Task TwoHundredConcurrentAppendsFromFiftyGreenhouses_AreAllAcknowledgedAndReadable()
    {
        const int Greenhouses = 50;
        const int AppendsPerGreenhouse = 4;
        const int ReadingsPerAppend = 50;
        var greenhouses = Enumerable.Range(0, Greenhouses).Select(_ => NewGreenhouse()).ToArray();

        var appends = greenhouses.SelectMany(greenhouse => Enumerable.Range(0, AppendsPerGreenhouse).Select(append =>
            Task.Run(() => Store.AppendAsync(
                greenhouse,
                Enumerable.Range(append * ReadingsPerAppend, ReadingsPerAppend).Select(i => At(i, i % 30, humidity: 60)).ToArray()))));
        var results = await Task.WhenAll(appends);

        Assert.Equal(Greenhouses * AppendsPerGreenhouse, results.Length);
        Assert.All(results, result =>
        {
            Assert.Equal(ReadingsPerAppend, result.Inserted.Count);
            Assert.Equal(0, result.Duplicates);
        });
        Assert.Equal(Greenhouses * AppendsPerGreenhouse * ReadingsPerAppend, results.SelectMany(result => result.Inserted).Select(stored => stored.Sequence).Distinct().Count());
        foreach (var greenhouse in greenhouses)
        {
            var replay = await Store.ReadAfterAsync(greenhouse, 0, 10_000);
            Assert.Equal(AppendsPerGreenhouse * ReadingsPerAppend, replay.Count);
            Assert.Equal(replay.Select(stored => stored.Sequence).Order(), replay.Select(stored => stored.Sequence));
            Assert.Equal(AppendsPerGreenhouse * ReadingsPerAppend, (await Store.ReadAsync(greenhouse, Day, Day.AddDays(1), 10_000)).Count);
        }
    }

    [Fact]
    public async Task AnAppendedReading_IsReadableAsSoonAsAppendReturns()
    {
        var greenhouse = NewGreenhouse();

        var result = await Store.AppendAsync(greenhouse, [At(7, 9.5, humidity: 91)]);

        var stored = Assert.Single(result.Inserted);
        Assert.Equal([stored], await Store.ReadAfterAsync(greenhouse, stored.Sequence - 1, 10));
        Assert.Equal([stored], await Store.ReadAsync(greenhouse, stored.At, stored.At.AddTicks(1), 10));
    }

    [Fact]
    public async Task TimesWithAnOffset_AreStoredAsTheSameInstantInUtc()
    {
        var greenhouse = NewGreenhouse();
        var beijing = TimeSpan.FromHours(8);
        var localMorning = new DateTimeOffset(2025, 3, 10, 7, 30, 0, beijing);

        var result = await Store.AppendAsync(greenhouse, [new Reading(localMorning, 8.0, null, "s1")]);

        var stored = Assert.Single(result.Inserted);
        Assert.Equal(new DateTimeOffset(2025, 3, 9, 23, 30, 0, TimeSpan.Zero), stored.At);
        Assert.Equal(TimeSpan.Zero, stored.At.Offset);
        var read = await Store.ReadAsync(greenhouse, localMorning, localMorning.AddMinutes(1), 10);
        Assert.Equal(TimeSpan.Zero, Assert.Single(read).At.Offset);
    }

    [Fact]
    public async Task ReadAsync_IncludesFrom_ExcludesTo_OrdersByTime_AndStopsAtTheLimit()
    {
        var greenhouse = NewGreenhouse();
        await Store.AppendAsync(greenhouse, Enumerable.Range(0, 10).Select(i => At(i, i)).Reverse().ToArray());
        await Store.AppendAsync(greenhouse, [At(3, 33, sensor: "s0")]);

        var range = await Store.ReadAsync(greenhouse, Day.AddMinutes(2), Day.AddMinutes(5), 100);
        var limited = await Store.ReadAsync(greenhouse, Day.AddMinutes(2), Day.AddMinutes(5), 2);
        var justAfterTwo = await Store.ReadAsync(greenhouse, Day.AddMinutes(2).AddTicks(1), Day.AddMinutes(5).AddTicks(1), 100);

        Assert.Equal([(2, "s1"), (3, "s0"), (3, "s1"), (4, "s1")], range.Select(Minute));
        Assert.Equal([(2, "s1"), (3, "s0")], limited.Select(Minute));
        Assert.Equal([(3, "s0"), (3, "s1"), (4, "s1"), (5, "s1")], justAfterTwo.Select(Minute));
        Assert.Empty(await Store.ReadAsync(greenhouse, Day.AddMinutes(5), Day.AddMinutes(5), 100));
        // Open-ended ranges, as a replay after a time asks for them.
        Assert.Equal(11, (await Store.ReadAsync(greenhouse, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 100)).Count);
        Assert.Equal(11, Assert.Single(await Store.ReadBucketsAsync(greenhouse, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, BucketWidth.Day)).Count);
        Assert.Empty(await Store.ReadAsync(NewGreenhouse(), Day, Day.AddDays(1), 100));
    }

    [Fact]
    public async Task ReadAfterAsync_ReturnsLaterAppendsOfThatGreenhouse_InSequenceOrder_UpToTheLimit()
    {
        var greenhouse = NewGreenhouse();
        var first = await Store.AppendAsync(greenhouse, [At(10, 1), At(11, 2)]);
        await Store.AppendAsync(NewGreenhouse(), [At(10, 100)]);
        // Late readings (earlier times) appended later come after, in sequence order.
        var second = await Store.AppendAsync(greenhouse, [At(5, 3), At(12, 4), At(1, 5)]);

        var watermark = first.Inserted[^1].Sequence;
        var after = await Store.ReadAfterAsync(greenhouse, watermark, 100);
        var limited = await Store.ReadAfterAsync(greenhouse, watermark, 2);

        Assert.Equal(second.Inserted, after);
        Assert.Equal(second.Inserted.Take(2), limited);
        Assert.Empty(await Store.ReadAfterAsync(greenhouse, second.Inserted[^1].Sequence, 100));
        Assert.Equal(first.Inserted.Concat(second.Inserted), await Store.ReadAfterAsync(greenhouse, 0, 100));
    }

    [Fact]
    public async Task HourBucket_OfAColdNight_HasTheExactMinimumCountAndAverage()
    {
        var greenhouse = NewGreenhouse();
        var start = Day.AddHours(2).AddMinutes(10);
        double[] temperatures = [12.0, .. Enumerable.Repeat(8.5, 30), 11.0];
        await Store.AppendAsync(greenhouse, temperatures.Select((temperature, i) => new Reading(start.AddMinutes(i), temperature, null, "s1")).ToArray());

        var buckets = await Store.ReadBucketsAsync(greenhouse, Day, Day.AddDays(1), BucketWidth.Hour);

        var bucket = Assert.Single(buckets);
        Assert.Equal(Day.AddHours(2), bucket.Start);
        Assert.Equal(TimeSpan.Zero, bucket.Start.Offset);
        Assert.Equal(32, bucket.Count);
        Assert.Equal(new Aggregate(8.5, 278.0 / 32, 12.0), bucket.TemperatureC);
        Assert.Null(bucket.HumidityPct);
    }

    [Fact]
    public async Task MinuteBuckets_AreAlignedToTheMinute_AndEmptyMinutesAreLeftOut()
    {
        var greenhouse = NewGreenhouse();
        var ten = Day.AddHours(10);
        await Store.AppendAsync(greenhouse,
        [
            new Reading(ten.AddSeconds(5), 10.0, null, "s1"),
            new Reading(ten.AddSeconds(35), 11.0, null, "s1"),
            new Reading(ten.AddSeconds(59.999), 12.5, null, "s2"),
            new Reading(ten.AddMinutes(1).AddSeconds(10), 9.0, null, "s1"),
            new Reading(ten.AddMinutes(3), 7.0, null, "s1"),
            new Reading(ten.AddMinutes(4), 6.0, null, "s1"),
        ]);

        var buckets = await Store.ReadBucketsAsync(greenhouse, ten, ten.AddMinutes(4), BucketWidth.Minute);

        Assert.Equal(
            [
                new ReadingBucket(ten, 3, new Aggregate(10.0, 33.5 / 3, 12.5), null),
                new ReadingBucket(ten.AddMinutes(1), 1, new Aggregate(9.0, 9.0, 9.0), null),
                new ReadingBucket(ten.AddMinutes(3), 1, new Aggregate(7.0, 7.0, 7.0), null),
            ],
            buckets);
    }

    [Fact]
    public async Task DayBuckets_AreUtcDays()
    {
        var greenhouse = NewGreenhouse();
        var beijing = TimeSpan.FromHours(8);
        await Store.AppendAsync(greenhouse,
        [
            // 07:30 in Beijing is 23:30 UTC of the day before.
            new Reading(new DateTimeOffset(2025, 3, 11, 7, 30, 0, beijing), 4.0, null, "s1"),
            new Reading(new DateTimeOffset(2025, 3, 11, 0, 30, 0, TimeSpan.Zero), 6.0, null, "s1"),
            new Reading(new DateTimeOffset(2025, 3, 11, 23, 59, 59, 999, TimeSpan.Zero), 8.0, null, "s1"),
        ]);

        var buckets = await Store.ReadBucketsAsync(greenhouse, Day, Day.AddDays(3), BucketWidth.Day);

        Assert.Equal(
            [
                new ReadingBucket(Day, 1, new Aggregate(4.0, 4.0, 4.0), null),
                new ReadingBucket(Day.AddDays(1), 2, new Aggregate(6.0, 7.0, 8.0), null),
            ],
            buckets);
        var secondDayOnly = await Store.ReadBucketsAsync(greenhouse, Day.AddDays(1), Day.AddDays(2), BucketWidth.Day);
        Assert.Equal(2, Assert.Single(secondDayOnly).Count);
    }

    [Fact]
    public async Task BucketHumidity_IsAggregatedOverTheReadingsThatHaveIt_AndNullWhenNoneHas()
    {
        var greenhouse = NewGreenhouse();
        await Store.AppendAsync(greenhouse,
        [
            At(0, 10, humidity: 60),
            At(1, 11),
            At(2, 12, humidity: 70),
            At(3, 13),
            At(60, 14),
            At(61, 15),
        ]);

        var buckets = await Store.ReadBucketsAsync(greenhouse, Day, Day.AddDays(1), BucketWidth.Hour);

        Assert.Equal(
            [
                new ReadingBucket(Day, 4, new Aggregate(10, 11.5, 13), new Aggregate(60, 65, 70)),
                new ReadingBucket(Day.AddHours(1), 2, new Aggregate(14, 14.5, 15), null),
            ],
            buckets);
        var raw = await Store.ReadAsync(greenhouse, Day, Day.AddMinutes(2), 10);
        Assert.Equal([60.0, null], raw.Select(reading => reading.HumidityPct));
    }

    [Fact]
    public async Task BadArguments_AreRejectedBeforeAnythingIsQueued()
    {
        var greenhouse = NewGreenhouse();

        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAsync(greenhouse, [At(0, double.NaN)]));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAsync(greenhouse, [At(0, 10, humidity: double.PositiveInfinity)]));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAsync(greenhouse, [new Reading(Day, 10, null, "")]));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAsync("", [At(0, 10)]));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ReadAsync(greenhouse, Day, Day.AddDays(1), 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ReadAfterAsync(greenhouse, 0, -1));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ReadBucketsAsync(greenhouse, Day, Day.AddDays(1), BucketWidth.Raw));
        var nothing = await Store.AppendAsync(greenhouse, []);
        Assert.Empty(nothing.Inserted);
        Assert.Equal(0, nothing.Duplicates);
        Assert.Empty(await Store.ReadAfterAsync(greenhouse, 0, 10));
    }

    [Fact]
    public async Task TheSilo_ServesOneReadingStoreAndAlertJournal_AndWritesQueuedAppendsWhenItStops()
    {
        var settings = await CreateDatabaseAsync("silo-stop", singleConnection: true);
        var greenhouse = NewGreenhouse();
        var silo = await TestSilo.StartAsync(settings, $"stop-{Guid.NewGuid():N}");
        try
        {
            var services = silo.Host.Services;
            var store = services.GetRequiredService<IReadingStore>();
            Assert.Same(services.GetRequiredService<ReadingStore>(), store);
            Assert.Same(store, services.GetRequiredService<IReadingStore>());
            Assert.IsType<AlertJournal>(services.GetRequiredService<IAlertJournal>());
            Assert.Same(services.GetRequiredService<IAlertJournal>(), services.GetRequiredService<IAlertJournal>());

            Task<AppendResult>[] appends;
            Task stopping;
            await using (await silo.Database.DataSource.OpenConnectionAsync())
            {
                // The writer waits for the connection this test holds, so the appends are still queued when the silo stops.
                appends = Enumerable.Range(0, 5).Select(i => store.AppendAsync(greenhouse, [At(i, 10 + i)])).ToArray();
                stopping = silo.Host.StopAsync();
                Assert.All(appends, append => Assert.False(append.IsCompleted, "an append completed while the writer could not have a connection"));
            }

            // Stopping the silo (not yet disposing the container) stops the writer, after writing what was queued.
            await stopping.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.All(await Task.WhenAll(appends), result => Assert.Single(result.Inserted));
            await Assert.ThrowsAsync<ObjectDisposedException>(() => store.AppendAsync(greenhouse, [At(9, 9)]));
        }
        finally
        {
            await ((IAsyncDisposable)silo.Host).DisposeAsync();
        }

        await using var reopened = await StoreHarness.OpenAsync(settings);
        Assert.Equal(5, (await reopened.Readings.ReadAfterAsync(greenhouse, 0, 100)).Count);
    }

    [Fact]
    public async Task AppendedReadings_AreThereAfterReopeningTheDatabase()
    {
        var settings = await CreateDatabaseAsync("reopen");
        var greenhouse = NewGreenhouse();
        AppendResult before;
        await using (var first = await StoreHarness.OpenAsync(settings))
        {
            before = await first.Readings.AppendAsync(greenhouse, [At(0, 10, humidity: 50), At(1, 11)]);
        }

        await using var second = await StoreHarness.OpenAsync(settings);
        Assert.Equal(before.Inserted, await second.Readings.ReadAfterAsync(greenhouse, 0, 100));
        var duplicate = await second.Readings.AppendAsync(greenhouse, [At(1, 11)]);
        var after = await second.Readings.AppendAsync(greenhouse, [At(2, 12)]);
        Assert.Equal(1, duplicate.Duplicates);
        Assert.True(after.Inserted[0].Sequence > before.Inserted[^1].Sequence, "sequences keep growing after a restart");
    }

    [Fact]
    public async Task AFailedTransaction_FailsEveryCallerInTheBatch_AndStoresNothing()
    {
        var settings = await CreateDatabaseAsync("poison", singleConnection: true);
        await using var harness = await StoreHarness.OpenAsync(settings);
        await Sql.ExecuteAsync(harness.Database, PoisonTriggerSql);
        var store = harness.Readings;
        var (good, bad, alsoGood) = (NewGreenhouse(), NewGreenhouse(), NewGreenhouse());

        Task<AppendResult>[] appends;
        await using (await harness.Database.DataSource.OpenConnectionAsync())
        {
            // While this test holds the only connection, the writer cannot start a transaction, so all three appends
            // are queued by the time it gets the connection and go into one batch.
            appends =
            [
                store.AppendAsync(good, [At(0, 10), At(1, 11)]),
                store.AppendAsync(bad, [At(0, 10), At(1, 11, sensor: "poison")]),
                store.AppendAsync(alsoGood, [At(0, 10)]),
            ];
            Assert.All(appends, append => Assert.False(append.IsCompleted, "an append completed while the writer could not have a connection"));
        }

        foreach (var append in appends)
        {
            await Assert.ThrowsAnyAsync<DbException>(() => append);
        }

        Assert.Equal(0, await Sql.CountAsync(harness.Database, "SELECT COUNT(*) FROM agrichain_readings"));

        // The writer carries on with the next batch.
        await Sql.ExecuteAsync(harness.Database, DropPoisonTriggerSql);
        var retried = await store.AppendAsync(good, [At(0, 10), At(1, 11)]);
        Assert.Equal(2, retried.Inserted.Count);
        Assert.Equal(2, await Sql.CountAsync(harness.Database, "SELECT COUNT(*) FROM agrichain_readings"));
    }

    [Fact]
    public async Task CancellingAWaitingAppend_ReleasesTheCaller_AndAppendingAgainIsSafe()
    {
        var settings = await CreateDatabaseAsync("cancel", singleConnection: true);
        await using var harness = await StoreHarness.OpenAsync(settings);
        var greenhouse = NewGreenhouse();
        using var cancellation = new CancellationTokenSource();

        Task<AppendResult> cancelled;
        await using (await harness.Database.DataSource.OpenConnectionAsync())
        {
            cancelled = harness.Readings.AppendAsync(greenhouse, [At(0, 10), At(1, 11)], cancellation.Token);
            await cancellation.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        }

        // Whether or not the writer had already taken it, appending the same readings again leaves each stored once.
        var again = await harness.Readings.AppendAsync(greenhouse, [At(0, 10), At(1, 11)]);
        Assert.Equal(2, again.Inserted.Count + again.Duplicates);
        Assert.Equal(2, (await harness.Readings.ReadAfterAsync(greenhouse, 0, 100)).Count);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Readings.AppendAsync(greenhouse, [At(2, 12)], cancellation.Token));
    }

    [Fact]
    public async Task Dispose_WritesTheQueuedAppendsFirst_ThenRefusesNewOnes()
    {
        var settings = await CreateDatabaseAsync("dispose", singleConnection: true);
        await using var harness = await StoreHarness.OpenAsync(settings);
        var greenhouse = NewGreenhouse();

        Task<AppendResult>[] appends;
        ValueTask disposing;
        await using (await harness.Database.DataSource.OpenConnectionAsync())
        {
            appends = Enumerable.Range(0, 8).Select(i => harness.Readings.AppendAsync(greenhouse, [At(i, i), At(i, i, sensor: "s2")])).ToArray();
            disposing = harness.Readings.DisposeAsync();
            Assert.False(disposing.IsCompleted, "dispose returned while appends were still queued");
        }

        await disposing;
        // Written before dispose returned; the callers' tasks complete on their own threads.
        Assert.Equal(16, await Sql.CountAsync(harness.Database, "SELECT COUNT(*) FROM agrichain_readings"));
        Assert.Equal(16, (await Task.WhenAll(appends)).Sum(result => result.Inserted.Count));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => harness.Readings.AppendAsync(greenhouse, [At(20, 1)]));
    }

    [Fact]
    public async Task AppendsLargerThanTheBatchBound_AreWrittenWhole_AndAllAcknowledged()
    {
        var settings = await CreateDatabaseAsync("bounds");
        await using var harness = await StoreHarness.OpenAsync(settings, new ReadingStoreOptions { MaxBatchReadings = 5, MaxQueuedAppends = 2 });
        var greenhouse = NewGreenhouse();

        var appends = Enumerable.Range(0, 6)
            .Select(i => harness.Readings.AppendAsync(greenhouse, Enumerable.Range(i * 7, 7).Select(minute => At(minute, minute)).ToArray()))
            .ToArray();
        var results = await Task.WhenAll(appends);

        Assert.All(results, result =>
        {
            Assert.Equal(7, result.Inserted.Count);
            Assert.Equal(result.Inserted.Select(stored => stored.Sequence).Order(), result.Inserted.Select(stored => stored.Sequence));
        });
        Assert.Equal(42, results.SelectMany(result => result.Inserted).Select(stored => stored.Sequence).Distinct().Count());
        Assert.Equal(42, (await harness.Readings.ReadAfterAsync(greenhouse, 0, 100)).Count);
    }

    /// <summary>A reading of sensor s1 (by default) <paramref name="minute"/> minutes into <see cref="Day"/>.</summary>
    protected static Reading At(int minute, double temperature, double? humidity = null, string sensor = "s1") =>
        new(Day.AddMinutes(minute), temperature, humidity, sensor);

    protected static string NewGreenhouse() => $"gh-{Guid.NewGuid():N}";

    private static (int Minute, string Sensor) Minute(StoredReading reading) => ((int)(reading.At - Day).TotalMinutes, reading.SensorId);
}
