using System.Globalization;
using System.Net.Http.Json;
using AgriChain.Contracts.Access;
using AgriChain.Contracts.Greenhouses;
using AgriChain.Contracts.MasterData;
using AgriChain.Contracts.Processing;
using AgriChain.Contracts.Traceability;
using AgriChain.Contracts.Yields;
using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.MasterData;
using AgriChain.Domain.Processing;
using AgriChain.Domain.Traceability;
using AgriChain.Server.Api.Traceability;
using AgriChain.Server.Auth;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace AgriChain.Server.Demo;

/// <summary>What the demo did at this start.</summary>
public enum DemoOutcome
{
    /// <summary>Not asked for (or refused in Production).</summary>
    Off,

    /// <summary>Asked for, but the database already existed: nothing was written.</summary>
    Skipped,

    Seeded,
}

/// <summary>
/// Seeds the demo season once the silo runs (every write is idempotent: fixed ids, same content), prints the address
/// and the demo keys, then keeps the demo sensors reporting when asked to.
/// </summary>
public sealed partial class DemoSeeder(
    DemoPlan plan,
    IGrainFactory grains,
    TimeProvider time,
    IServer server,
    IHostApplicationLifetime lifetime,
    IHostEnvironment environment,
    IOptions<AuthOptions> auth,
    IOptions<DemoOptions> options,
    ILogger<DemoSeeder> logger) : BackgroundService
{
    private readonly TaskCompletionSource<DemoOutcome> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById(DemoSeason.TimeZone);

    /// <summary>Completes when this start's seeding is over (or was not asked for).</summary>
    public Task<DemoOutcome> Completion => _completion.Task;

    /// <summary>True once the demo season is known to be in the database (seeded now or before).</summary>
    public bool Present { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await WhenStartedAsync(stoppingToken);
            DemoOutcome outcome;
            if (plan.Seed)
            {
                LogSeeding(logger, plan.Reason);
                await SeedAsync(time.GetUtcNow());
                outcome = DemoOutcome.Seeded;
            }
            else
            {
                outcome = plan.Reason == "off" ? DemoOutcome.Off : DemoOutcome.Skipped;
            }

            Present = await grains.GetGrain<ICooperativeGrain>(DemoSeason.Cooperatives[0].Id).GetAsync() is not null;
            _completion.TrySetResult(outcome);
            if (Present)
            {
                PrintWelcome();
            }

            if (plan.Simulate && Present)
            {
                await SimulateAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _completion.TrySetCanceled(stoppingToken);
        }
        catch (Exception e)
        {
            LogFailed(logger, e);
            _completion.TrySetException(e);
        }
    }

    private Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(stoppingToken);
    }

    /// <summary>Writes the whole season relative to <paramref name="now"/>. Safe to run again: nothing is written twice.</summary>
    public async Task SeedAsync(DateTimeOffset now)
    {
        foreach (var (id, name, city) in DemoSeason.Buyers)
        {
            await grains.GetGrain<IBuyerGrain>(id).PutAsync(new BuyerProfile(name, city));
        }

        foreach (var (id, name, village, contact) in DemoSeason.Cooperatives)
        {
            await grains.GetGrain<ICooperativeGrain>(id).PutAsync(new CooperativeProfile(name, DemoSeason.RegionOf(village), contact));
        }

        foreach (var (id, name, cooperativeId, village, kind) in DemoSeason.Farms)
        {
            await grains.GetGrain<IFarmGrain>(id).PutAsync(new FarmProfile(name, cooperativeId, DemoSeason.RegionOf(village), kind, DemoSeason.TimeZone));
        }

        var start = Align(now - DemoSeason.History);
        var coldStart = DemoSeason.ColdStartFor(now, Zone);
        foreach (var greenhouse in DemoSeason.Greenhouses)
        {
            await SeedGreenhouseAsync(greenhouse, start, now, coldStart);
        }

        foreach (var key in DemoSeason.Keys)
        {
            // False when the key exists already: the demo keys are issued once.
            await grains.GetGrain<IApiKeyGrain>(key.Id).IssueAsync(key.Grant, key.Secret, DemoSeason.Actor);
        }

        await SeedHarvestsAndBatchesAsync(now);
        await SeedMarketAsync(now);
        Present = true;
    }

    private async Task SeedGreenhouseAsync(DemoGreenhouse demo, DateTimeOffset start, DateTimeOffset now, DateTimeOffset coldStart)
    {
        var grain = grains.GetGrain<IGreenhouseGrain>(demo.Id);
        await grain.PutAsync(new GreenhouseProfile(demo.FarmId, demo.Name, "nectarine", demo.Variety, demo.AreaMu));
        var current = await grain.GetAsync();
        if (current?.Stage is not null)
        {
            // Seeded before: the readings are there too (a re-seed writes nothing new).
            return;
        }

        if (demo.Stage == GrowthStage.Flowering)
        {
            // The park's houses came into bloom together, five days before the cold night; budbreak before that.
            var bloom = coldStart - DemoSeason.FloweringBeforeCold;
            await grain.SetStageAsync(GrowthStage.Budbreak, Align(now - TimeSpan.FromDays(12)));
            await RecordAsync(grain, demo, GrowthStage.Budbreak, start, bloom, null);
            await grain.SetStageAsync(GrowthStage.Flowering, bloom);
            await RecordAsync(grain, demo, GrowthStage.Flowering, bloom, now, demo.Id == DemoSeason.ColdGreenhouse ? coldStart : null);
            return;
        }

        await grain.SetStageAsync(demo.Stage, Align(now - demo.StageAge));
        await RecordAsync(grain, demo, demo.Stage, start, now, null);
    }

    /// <summary>Readings from <paramref name="from"/> up to <paramref name="to"/>: every five minutes, or three times a day by hand.</summary>
    private static async Task RecordAsync(IGreenhouseGrain grain, DemoGreenhouse demo, GrowthStage stage, DateTimeOffset from,
        DateTimeOffset to, DateTimeOffset? coldStart)
    {
        var readings = Readings(demo, stage, from, to, coldStart).ToList();
        foreach (var chunk in readings.Chunk(ReadingRules.MaxBatch))
        {
            await grain.RecordReadingsAsync(chunk);
        }
    }

    internal static IEnumerable<Reading> Readings(DemoGreenhouse demo, GrowthStage stage, DateTimeOffset from, DateTimeOffset to,
        DateTimeOffset? coldStart)
    {
        for (var at = Align(from); at <= to; at += DemoSeason.Step)
        {
            if (at < from)
            {
                continue;
            }

            if (!demo.Sensor)
            {
                var local = TimeZoneInfo.ConvertTime(at, Zone);
                if (local.Minute != 0 || local.Hour is not (8 or 14 or 20))
                {
                    continue;
                }
            }

            var (temperature, humidity) = DemoSeason.Air(demo, stage, at, Zone, coldStart);
            yield return new Reading(at.ToUniversalTime(), temperature, double.IsNaN(humidity) ? null : humidity,
                demo.Sensor ? $"{demo.Id}-t1" : Reading.ManualSensor);
        }
    }

    private async Task SeedHarvestsAndBatchesAsync(DateTimeOffset now)
    {
        DateTimeOffset Day(int daysAgo, int hour) => LocalAt(now.AddDays(-daysAgo), hour);

        // Qijiahe No. 1 is ripening: two picks, the first one inspected and partly sold.
        var qijiahe = grains.GetGrain<IGreenhouseGrain>("qijiahe-01");
        await qijiahe.RecordHarvestAsync(new GreenhouseHarvest("qijiahe-01-pick-1", Day(2, 9), 420m, "a", "qjh-nectarine-001"), DemoSeason.Actor);
        await qijiahe.RecordHarvestAsync(new GreenhouseHarvest("qijiahe-01-pick-2", Day(1, 9), 260m, "b", "qjh-nectarine-002"), DemoSeason.Actor);
        await EventAsync("qjh-nectarine-001", new BatchEvent("qjh-001-inspected", BatchEventType.Inspected, Day(2, 15), "passed", null, null, "Qijiahe station", "Pesticide residue rapid test", DemoSeason.Actor));
        await EventAsync("qjh-nectarine-001", new BatchEvent("qjh-001-shipped", BatchEventType.Shipped, Day(1, 7), null, "yuncheng-fresh", 300m, null, null, DemoSeason.Actor));

        // Xibeizhuang: two persimmon lots; one is split into fresh fruit and wine fruit, the wine fruit blended with the
        // second lot and pressed into wine.
        var orchard = grains.GetGrain<IFarmGrain>("xibeizhuang-orchard");
        await orchard.RecordHarvestAsync(new FarmHarvest("xbz-harvest-001", Day(21, 10), "persimmon", 2400m, "kg", "a", "xbz-persimmon-001", "North slope"), DemoSeason.Actor);
        await orchard.RecordHarvestAsync(new FarmHarvest("xbz-harvest-002", Day(19, 10), "persimmon", 1800m, "kg", "b", "xbz-persimmon-002", "River terrace"), DemoSeason.Actor);
        var lot = await grains.GetGrain<IBatchGrain>("xbz-persimmon-001").GetAsync();
        var fresh = ("xbz-persimmon-001-fresh", 1000m);
        var forWine = ("xbz-persimmon-001-wine", 1400m);
        var splitId = BatchRules.OperationId("split", ["xbz-persimmon-001", $"{fresh.Item1}:{fresh.Item2}", $"{forWine.Item1}:{forWine.Item2}"]);
        await grains.GetGrain<IBatchOperationGrain>(splitId).RunAsync(new OperationPlan(EdgeKind.Split,
            new[] { new OperationInput("xbz-persimmon-001", 2400m) },
            new[] { new OperationOutput(fresh.Item1, lot!.Spec with { Quantity = fresh.Item2 }), new OperationOutput(forWine.Item1, lot.Spec with { Quantity = forWine.Item2 }) },
            DemoSeason.Actor));
        await EventAsync(fresh.Item1, new BatchEvent("xbz-fresh-inspected", BatchEventType.Inspected, Day(18, 11), "passed", null, null, "Yuanqu county lab", null, DemoSeason.Actor));
        await EventAsync(fresh.Item1, new BatchEvent("xbz-fresh-shipped", BatchEventType.Shipped, Day(16, 6), null, "yuncheng-fresh", 600m, null, null, DemoSeason.Actor));

        const string blend = "xbz-persimmon-wine-lot";
        await grains.GetGrain<IBatchOperationGrain>(BatchRules.OperationId("merge", blend)).RunAsync(new OperationPlan(EdgeKind.Merge,
            new[] { new OperationInput(forWine.Item1, 1400m), new OperationInput("xbz-persimmon-002", 1800m) },
            new[] { new OperationOutput(blend, new BatchSpec("persimmon", 3200m, "kg", "b", "xibeizhuang-coop", null)) },
            DemoSeason.Actor));

        const string wine = "xbz-wine-2026-001";
        await PressWineAsync(blend, wine, now);
        await EventAsync(wine, new BatchEvent("xbz-wine-stored", BatchEventType.Stored, Day(6, 16), null, null, null, "Xibeizhuang cellar", null, DemoSeason.Actor));
        await EventAsync(wine, new BatchEvent("xbz-wine-inspected", BatchEventType.Inspected, Day(3, 10), "passed", null, null, "Yuncheng quality station", "Methanol and SO2 within limits", DemoSeason.Actor));
        await EventAsync(wine, new BatchEvent("xbz-wine-shipped", BatchEventType.Shipped, Day(2, 8), null, "taiyuan-wine", 240m, null, null, DemoSeason.Actor));

        // Shangping: forsythia from the ridge, and the chickens that run under it.
        var forest = grains.GetGrain<IFarmGrain>("shangping-forest");
        await forest.RecordHarvestAsync(new FarmHarvest("sp-harvest-forsythia", Day(40, 9), "forsythia", 350m, "kg", "a", "sp-forsythia-001", "East ridge"), DemoSeason.Actor);
        await forest.RecordHarvestAsync(new FarmHarvest("sp-harvest-chicken", Day(5, 7), "chicken", 60m, "bird", "premium", "sp-chicken-001", "Forsythia understorey"), DemoSeason.Actor);
        await forest.RecordHarvestAsync(new FarmHarvest("sp-harvest-eggs", Day(2, 7), "egg", 1200m, "egg", "a", "sp-eggs-001", "Forsythia understorey"), DemoSeason.Actor);
    }

    /// <summary>
    /// The wine run: the blend through every step of the built-in persimmon-wine process, a fermentation that ran
    /// warm (a deviation, which holds the wine until the cooperative released it after a lab check), bottling, and the
    /// wine lot as the run's output.
    /// </summary>
    private async Task PressWineAsync(string blend, string wine, DateTimeOffset now)
    {
        DateTimeOffset At(double daysAgo) => LocalAt(now.AddDays(-daysAgo), 8);
        var run = grains.GetGrain<IProcessingRunGrain>(DemoSeason.WineRun);
        var definition = await grains.GetGrain<IProcessDefinitionGrain>("persimmon-wine").GetAsync(null);
        if (definition is null)
        {
            return;
        }

        var started = await run.StartAsync(new RunStart(definition, "xibeizhuang-coop", new[] { new RunInput(blend, 3200m, "kg") }, DemoSeason.Actor));
        if (started.Outcome is not (RunOutcome.Done or RunOutcome.Unchanged))
        {
            LogRunRefused(logger, "start", started.Detail ?? started.Outcome.ToString());
            return;
        }

        // (step, days ago it started, days it took, measured values)
        var steps = new (string Step, double Ago, double Days, (string Name, decimal Value)[] Values)[]
        {
            ("sorting-and-washing", 17, 0.3, []),
            ("removing-astringency", 16.7, 1, [("temperatureC", 40m), ("hours", 24m)]),
            ("destemming-and-crushing", 15.6, 0.3, [("particleSizeMm", 3m), ("so2MgPerL", 60m), ("pectinasePct", 0.1m)]),
            ("must-adjustment", 15.2, 0.2, [("sugarPct", 20m), ("ph", 3.7m)]),
            ("main-fermentation", 15, 9, [("temperatureC", 30.5m), ("days", 9m), ("residualSugarGPerL", 4m)]),
            ("pressing", 5.8, 0.3, [("wineL", 1640m)]),
            ("secondary-fermentation-and-aging", 5.4, 2, [("days", 2m)]),
            ("filtration", 3.3, 0.2, []),
            ("bottling", 3, 0.3, [("bottleSizeL", 0.75m), ("count", 2133m)]),
            ("sterilisation", 2.7, 0.1, [("temperatureC", 65m), ("minutes", 30m)]),
        };
        foreach (var (step, ago, days, values) in steps)
        {
            var recorded = await run.RecordStepAsync(new StepEntry(step, At(ago), At(ago - days),
                values.Select(v => new ParameterValue(v.Name, v.Value)).ToArray(), DemoSeason.Actor));
            if (recorded.Outcome is not (RunOutcome.Done or RunOutcome.Unchanged))
            {
                LogRunRefused(logger, step, recorded.Detail ?? recorded.Outcome.ToString());
                return;
            }

            if (step == "main-fermentation")
            {
                await run.ReleaseAsync("Tank cooled on day 3; volatile acidity checked by the county lab, within limits", DemoSeason.Actor);
            }
        }

        var completed = await run.CompleteAsync(new[] { new RunOutput(wine, "persimmon-wine", 1600m, "L", "a") }, DemoSeason.Actor);
        if (completed.Outcome is not (RunOutcome.Done or RunOutcome.Unchanged))
        {
            LogRunRefused(logger, "complete", completed.Detail ?? completed.Outcome.ToString());
        }
    }

    private async Task EventAsync(string batchId, BatchEvent batchEvent) =>
        await grains.GetGrain<IBatchGrain>(batchId).RecordEventAsync(batchEvent);

    /// <summary>
    /// Keeps the sensor greenhouses reporting: every period, each catches up from its latest reading to now, with the
    /// same curves as the seeded week (following the stage a technician may have changed meanwhile).
    /// </summary>
    private async Task SimulateAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromSeconds(Math.Max(5, options.Value.SimulateEverySeconds));
        using var timer = new PeriodicTimer(period, time);
        do
        {
            try
            {
                await SimulateOnceAsync(time.GetUtcNow());
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSimulationFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    internal async Task SimulateOnceAsync(DateTimeOffset now)
    {
        foreach (var demo in DemoSeason.Greenhouses.Where(g => g.Sensor))
        {
            var grain = grains.GetGrain<IGreenhouseGrain>(demo.Id);
            var view = await grain.GetAsync();
            if (view?.Stage is not { } stage || view.Profile.FarmId != demo.FarmId)
            {
                continue;
            }

            var from = view.Latest is { } latest ? latest.At + DemoSeason.Step : now - DemoSeason.Step;
            if (from < now - DemoSeason.History)
            {
                from = now - DemoSeason.History;
            }

            DateTimeOffset? coldStart = demo.Id == DemoSeason.ColdGreenhouse && stage == GrowthStage.Flowering && view.StageSince is { } bloom
                ? bloom + DemoSeason.FloweringBeforeCold
                : null;
            var readings = Readings(demo, stage, from, now, coldStart).ToList();
            if (readings.Count > 0)
            {
                await grain.RecordReadingsAsync(readings);
            }
        }
    }

    /// <summary>The address this host listens on, as a browser on this machine would type it; null without a real server.</summary>
    private string? LocalAddress()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        return addresses.Select(a => a.Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal)).FirstOrDefault();
    }

    /// <summary>
    /// Offers from the cooperatives and the two buyers' demands, placed through the host's own API with the first
    /// configured admin key, so that they go through exactly the checks and matching a client's would. Without an
    /// admin key or a listening address the market part is left out (and said so in the log).
    /// </summary>
    private async Task SeedMarketAsync(DateTimeOffset now)
    {
        var key = auth.Value.AdminKeys.FirstOrDefault(k => !string.IsNullOrEmpty(k));
        var address = LocalAddress();
        if (key is null || address is null)
        {
            LogMarketSkipped(logger);
            return;
        }

        string Day(int days) => LocalAt(now.AddDays(days), 8).ToString("O", CultureInfo.InvariantCulture);
        var offers = new object[]
        {
            new { id = "xbz-offer-persimmon-fresh", ownerId = "xibeizhuang-coop", product = "persimmon", grade = "a", quantityKg = 300, pricePerKg = 6.8, availableFrom = Day(-1), availableTo = Day(20), batchId = "xbz-persimmon-001-fresh" },
            new { id = "qjh-offer-nectarine-a", ownerId = "qijiahe-coop", product = "nectarine", grade = "a", quantityKg = 100, pricePerKg = 14.0, availableFrom = Day(-1), availableTo = Day(7), batchId = "qjh-nectarine-001" },
            new { id = "qjh-offer-nectarine-b", ownerId = "qijiahe-coop", product = "nectarine", grade = "b", quantityKg = 200, pricePerKg = 11.5, availableFrom = Day(-1), availableTo = Day(7), batchId = "qjh-nectarine-002" },
            new { id = "jiwang-01-forecast", ownerId = "qianping-coop", product = "nectarine", grade = "a", quantityKg = 900, pricePerKg = 16.0, availableFrom = Day(80), availableTo = Day(110), greenhouseId = "jiwang-01" },
            new { id = "jiwang-02-forecast", ownerId = "qianping-coop", product = "nectarine", grade = "a", quantityKg = 1200, pricePerKg = 15.5, availableFrom = Day(80), availableTo = Day(110), greenhouseId = "jiwang-02" },
        };
        var demands = new object[]
        {
            new { id = "yuncheng-nectarine-001", buyerId = "yuncheng-fresh", product = "nectarine", grade = "b", quantityKg = 250, maxPricePerKg = 13.0, deliverBy = Day(10) },
            new { id = "taiyuan-persimmon-001", buyerId = "taiyuan-wine", product = "persimmon", grade = "a", quantityKg = 200, maxPricePerKg = 7.5, deliverBy = Day(14) },
        };
        using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        foreach (var (path, body) in offers.Select(o => ("/api/v1/offers", o)).Concat(demands.Select(d => ("/api/v1/demands", d))))
        {
            using var response = await http.PostAsJsonAsync(path, body);
            if (!response.IsSuccessStatusCode)
            {
                // A forced re-seed meets its own earlier offers and demands: 409, and nothing is placed twice.
                LogMarketRefused(logger, path, (int)response.StatusCode);
            }
        }
    }

    private void PrintWelcome()
    {
        var url = LocalAddress() ?? "http://localhost:5080";
        var lines = new List<string>
        {
            string.Empty,
            "AgriChain demo season (Qijiahe township, Yuanqu county) is ready.",
            $"  Open {url}/ and sign in with one of these keys:",
        };
        if (environment.IsDevelopment() && auth.Value.AdminKeys.FirstOrDefault(k => !string.IsNullOrEmpty(k)) is { } admin)
        {
            lines.Add($"    admin        {admin}");
        }

        foreach (var key in DemoSeason.Keys)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"    {key.Grant.Role.ToString().ToLowerInvariant(),-12} {key.Token}   ({key.Grant.Label})"));
        }

        lines.Add("  The keys are public demo keys: use them on a machine of your own only.");
        lines.Add(string.Empty);
        Console.Out.WriteLine(string.Join(Environment.NewLine, lines));
    }

    private static DateTimeOffset Align(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % DemoSeason.Step.Ticks), TimeSpan.Zero);

    private static DateTimeOffset LocalAt(DateTimeOffset day, int hour)
    {
        var local = TimeZoneInfo.ConvertTime(day, Zone);
        return new DateTimeOffset(local.Year, local.Month, local.Day, hour, 0, 0, local.Offset).ToUniversalTime();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeding the demo season ({Reason})")]
    private static partial void LogSeeding(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The demo wine run stopped at {Step}: {Detail}")]
    private static partial void LogRunRefused(ILogger logger, string step, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "The demo market (offers and demands) is left out: no admin key or no listening address")]
    private static partial void LogMarketSkipped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "The demo market request {Path} answered {Status}")]
    private static partial void LogMarketRefused(ILogger logger, string path, int status);

    [LoggerMessage(Level = LogLevel.Error, Message = "The demo season could not be seeded")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The demo sensors could not report this round")]
    private static partial void LogSimulationFailed(ILogger logger, Exception exception);
}
