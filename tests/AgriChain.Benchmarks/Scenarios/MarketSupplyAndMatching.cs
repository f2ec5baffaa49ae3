using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgriChain.Benchmarks.Baselines;
using AgriChain.Benchmarks.Infrastructure;
using AgriChain.Benchmarks.Reporting;

namespace AgriChain.Benchmarks.Scenarios;

/// <summary>
/// Scenario 6. The market of <see cref="MarketPlan"/> is built through the API (cooperatives, buyers, batches, then
/// every offer by <c>POST /api/v1/offers</c>, each reserving its kilograms on its batch) and loaded into an indexed
/// offers table in a database on the same storage. Then, alternating with the SQL baseline:
/// (6a) the supply query over every offer, warm, one at a time;
/// (6b) rounds of demands from concurrent buyers, each round's demands submitted to AgriChain by
/// <c>POST /api/v1/demands</c> and matched by the baseline in one SQL transaction each; between rounds both sides go
/// back to full supply (AgriChain's demands cancelled through the API, the baseline's table reset). After the last
/// round every offer a demand touched is read back through the API and checked never to be oversold.
/// </summary>
internal static class MarketSupplyAndMatching
{
    private const int Workers = 16;
    private const int WarmupDemands = 100;
    private const double TargetP99Ms = 20;
    private const double TargetMatchesPerSecond = 5_000;

    public static async Task<IReadOnlyList<ScenarioResult>> RunAsync(BenchContext context)
    {
        var profile = context.Profile;
        var today = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).DateTime);
        var plan = new MarketPlan(profile.MarketOffers, today);
        BenchContext.Log($"6. Market: {plan.Offers.Count:N0} offers in {MarketPlan.Villages.Count} villages, built through the API");
        var setup = await SeedAsync(context.Admin, plan);

        await using var database = await context.CreateBaselineDatabaseAsync("baseline_market");
        var sql = new MarketSql(database);
        await sql.LoadAsync(plan);

        using var client = AgriChainApi.Client(context.Server.BaseAddress, Workers);
        return
        [
            await SupplyQueryAsync(context, plan, sql, client, setup),
            await MatchingAsync(context, plan, sql, client, setup),
        ];
    }

    private sealed record Setup(double Seconds, double OffersPerSecond, int Batches);

    private static async Task<Setup> SeedAsync(HttpClient admin, MarketPlan plan)
    {
        var started = Stopwatch.StartNew();
        await AgriChainApi.ForEachAsync(MarketPlan.Villages, v => AgriChainApi.PutAsync(admin, $"/api/v1/cooperatives/{v.Cooperative}",
            new { name = v.Village + " Nectarine Co-op", village = v.Village, township = v.Township, county = v.County }));
        await AgriChainApi.ForEachAsync(Enumerable.Range(0, MarketPlan.Buyers), b => AgriChainApi.PutAsync(admin, $"/api/v1/buyers/{MarketPlan.BuyerId(b)}",
            new { name = "Benchmark wholesaler", city = "Yuncheng" }));
        var batches = plan.Batches.ToList();
        await AgriChainApi.ForEachAsync(batches, b => AgriChainApi.PostAsync(admin, "/api/v1/batches", new
        {
            id = b.Id, product = MarketPlan.Product, quantity = b.QuantityKg, unit = "kg", grade = "premium",
            ownerId = MarketPlan.Villages[b.Village].Cooperative,
        }));
        BenchContext.Log($"   {batches.Count:N0} batches in {started.Elapsed.TotalSeconds:0.0} s; now the offers");

        var offers = Stopwatch.StartNew();
        var done = 0;
        await AgriChainApi.ForEachAsync(plan.Offers, async o =>
        {
            await AgriChainApi.PostAsync(admin, "/api/v1/offers", new
            {
                id = o.Id, ownerId = MarketPlan.Villages[o.Village].Cooperative, product = MarketPlan.Product, grade = o.Grade,
                quantityKg = o.QuantityKg, pricePerKg = MarketPlan.Yuan(o.PriceCents), availableFrom = MarketPlan.Date(o.AvailableFrom),
                availableTo = MarketPlan.Date(o.AvailableTo), batchId = o.BatchId,
            });
            if (Interlocked.Increment(ref done) % 10_000 == 0)
            {
                BenchContext.Log($"   {done:N0} offers ({done / offers.Elapsed.TotalSeconds:N0}/s)");
            }
        });
        var rate = plan.Offers.Count / offers.Elapsed.TotalSeconds;
        BenchContext.Log($"   seeded in {started.Elapsed.TotalSeconds:0.0} s ({rate:N0} offers/s)");
        return new Setup(started.Elapsed.TotalSeconds, rate, batches.Count);
    }

    private static async Task<ScenarioResult> SupplyQueryAsync(BenchContext context, MarketPlan plan, MarketSql sql, HttpClient client, Setup setup)
    {
        var samples = context.Profile.MarketQuerySamples;
        BenchContext.Log($"   6a supply query: {samples} warm samples each side");
        var path = $"/api/v1/supply?product={MarketPlan.Product}&grade=a&availableBy={MarketPlan.Date(plan.AvailableBy)}";

        // Warm, and check that both sides give the same answer, village by village.
        var counted = 0L;
        for (var i = 0; i < 3; i++)
        {
            var (_, agrichain) = await GetSupplyAsync(client, path);
            var (_, baseline) = await sql.SupplyAsync(MarketPlan.Product, "a", plan.AvailableBy);
            counted = Compare(agrichain, baseline);
        }

        var meter = ResourceMeter.Start(context.Processes());
        var agrichainMs = new List<double>(samples);
        var baselineMs = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            agrichainMs.Add((await GetSupplyAsync(client, path)).Ms);
            baselineMs.Add((await sql.SupplyAsync(MarketPlan.Product, "a", plan.AvailableBy)).Ms);
        }

        var resources = meter.Stop();
        var rounds = LatencyRounds(agrichainMs, baselineMs, context.Profile.Rounds);
        var p99 = Stats.Percentile(agrichainMs, 99);
        var full = plan.Offers.Count == 100_000;
        return new ScenarioResult
        {
            Id = "6a",
            Name = "Market: supply query",
            Metric = string.Create(CultureInfo.InvariantCulture, $"supply query over {plan.Offers.Count:N0} offers in {MarketPlan.Villages.Count} villages, p99 warm"),
            Unit = "ms",
            Value = p99,
            Baseline = Stats.Percentile(baselineMs, 99),
            Ratio = Stats.Median(rounds.Select(r => r.Ratio)),
            RatioRule = "AgriChain p99 / SQL p99 per round, median of the rounds (lower is better)",
            Target = "p99 ≤ 20 ms",
            P50Ms = Stats.Percentile(agrichainMs, 50),
            P99Ms = p99,
            Met = p99 <= TargetP99Ms,
            BaselineDescription = (context.Postgres is null ? "a SQLite file beside AgriChain's" : "a database on the same PostgreSQL server")
                + ": the same offers as rows of one table with a covering index on (product, county, township, village, grade, dates, free kg, kind, price), "
                + "answered by one SELECT ... GROUP BY county, township, village from this process (no HTTP)",
            BaselineP50Ms = Stats.Percentile(baselineMs, 50),
            BaselineP99Ms = Stats.Percentile(baselineMs, 99),
            Rounds = rounds,
            Resources = resources,
            Notes =
            [
                string.Create(CultureInfo.InvariantCulture, $"Offers: {plan.Offers.Count:N0} nectarine lots of 100-1,000 kg at 4.00-9.00 yuan/kg (grades premium 15 %, a 55 %, b 30 %; available from today to 20 days ahead, for 30-60 days) from {MarketPlan.Villages.Count} cooperatives, one per village, in {MarketPlan.Counties.Count} counties ({string.Join(", ", MarketPlan.Counties)}); {OffersPerBatchNote(setup)}. ")
                    + (full ? "The full count of the target." : "Quick mode seeds fewer offers than the target's 100,000 to stay within its time; the full run seeds 100,000."),
                string.Create(CultureInfo.InvariantCulture, $"Setup through the API: {setup.Seconds:0} s for the cooperatives, buyers, batches and offers ({setup.OffersPerSecond:N0} offers/s; each offer is validated against its batch and cooperative, reserves its kilograms on the batch, is written, and enters its county's supply index)."),
                string.Create(CultureInfo.InvariantCulture, $"Query: GET {path.Replace(MarketPlan.Date(plan.AvailableBy), "today+10", StringComparison.Ordinal)} (grade a or better, available within ten days, all villages): {counted:N0} offers count, in {MarketPlan.Villages.Count} villages; both sides' answers were checked equal village by village (offers, kilograms, lowest price) before measuring."),
                string.Create(CultureInfo.InvariantCulture, $"{samples} samples each side, alternating, one at a time, after 3 warm-up queries. AgriChain's figure is the whole HTTP request through the real server: authentication, the product's county directory, one query to each county's supply index ({MarketPlan.Counties.Count}, in parallel), the merge by village and the JSON answer."),
                QueryChange,
            ],
        };
    }

    /// <summary>What was changed in AgriChain for 6a, and what it bought (measured while the change was made).</summary>
    private const string QueryChange =
        "Changed in AgriChain for this query (src/AgriChain.Grains/Market): each county's supply index keeps its offers in memory per village as an array of "
        + "just the figures a query reads (free kg, price, dates as ticks, grade rank, flags) and answers with one pass over the villages the filter allows. "
        + "Before, every query ran SupplyMath.ByVillage over the index's dictionary: a record per matching offer, then a LINQ GroupBy. Server CPU per query "
        + "at 10,000 offers: 3.9 ms before, about 1 ms after (p99 9.8 → 2.6 ms); at 100,000 offers: 14 ms with a pass that still followed one reference per "
        + "offer (a cache miss each), 2.2 ms with the arrays. The code before could not be set up with 100,000 offers in any reasonable time (see 6b).";

    /// <summary>What was changed in AgriChain for 6b, and what it bought (measured while the change was made, quick mode, SQLite).</summary>
    private const string MatchingChange =
        "Changed in AgriChain for matching (src/AgriChain.Grains/Market; quick mode on SQLite, 10,000 offers, 3 × 400 demands): before, creating offers "
        + "16 at a time failed with HTTP 500 (the supply index serialised its dictionaries while interleaved updates changed them: \"Collection was modified\"), "
        + "so the market could only be built one offer at a time (114 offers/s), and matching ran at 64 matches/s (p50 878 ms, p99 4.4 s) with 14.3 ms of "
        + "server CPU per match: every grant rewrote its county's whole index as JSON and every refusal was written too. (1) The index keeps its entries in "
        + "memory (per village, and in matching order so a demand's candidates are the first eligible ones) and writes a packed snapshot plus the changes "
        + "since it, each write of objects built in the grain's turn: concurrent creation works (500-1,600 offers/s), 604 matches/s. (2) Offers no longer "
        + "write a refusal; a demand resumes an interrupted attempt by asking each offer what it holds under a new attempt number, so it never relies on "
        + "one: offer writes per demand 17.6 → 5.5. (3) The index answers a change of an offer it already has at once and writes it within 100 ms with "
        + "the others (new and withdrawn offers still wait for the write); offers and demands are stored packed in Orleans' binary form inside their JSON "
        + "row (an offer's book as JSON cost 120-180 µs a write, inside SQLite's one-writer gate): 890-2,190 matches/s on a machine loaded 12-16. (4) The "
        + "counties' candidate lists are merged rather than sorted: 3,900-4,560 matches/s at load 3-4. After: 0.47-0.48 ms of server CPU per match, "
        + "30 times less.";

    /// <summary>Why 6b stops where it does.</summary>
    private const string MatchingLimit =
        "What bounds it: every grant is one durable grain-state write of its offer, and every demand adds a state read (its activation) and two writes "
        + "(its intent before asking any offer, its settlement): 1.35 writes a match, each about 200 µs of CPU through Orleans' ADO.NET storage (measured "
        + "alone on SQLite: 70 µs in SQLite, the rest in the provider and the JSON row), plus the HTTP request and some twenty grain calls a demand, on two "
        + "cores shared with the load generator. On PostgreSQL every one of those writes is its own commit, and the server's CPU is the limit for both "
        + "sides. Under 16 buyers at once 2-3 % of demands come back with nothing although supply remains: concurrent demands took their 50 "
        + "candidates first, and a demand makes one attempt per request (on SQLite the baseline, one transaction at a time, never meets that).";

    private static string OffersPerBatchNote(Setup setup) =>
        string.Create(CultureInfo.InvariantCulture, $"each offer sells part of a batch on hand ({MarketPlan.OffersPerBatch} offers a batch, {setup.Batches:N0} batches)");

    private static async Task<ScenarioResult> MatchingAsync(BenchContext context, MarketPlan plan, MarketSql sql, HttpClient client, Setup setup)
    {
        var profile = context.Profile;
        var perRound = profile.MarketDemands;
        BenchContext.Log($"   6b demand matching: {profile.Rounds} rounds of {perRound:N0} demands from {Workers} buyers at once, each side");

        // Warm-up for the profile's warm-up time at least (the matching path is still in the JIT's first tiers after a
        // few hundred demands, and a quick round lasts well under a second), each batch cancelled again.
        var warmUntil = Stopwatch.GetTimestamp() + (long)(profile.Warmup.TotalSeconds * Stopwatch.Frequency);
        var warmBatches = 0;
        do
        {
            var warm = plan.Demands(string.Create(CultureInfo.InvariantCulture, $"warm{++warmBatches}"), WarmupDemands);
            var warmed = await RunAsync(warm, d => SubmitAsync(client, d));
            await RunAsync(warm, d => sql.MatchAsync(d));
            await CancelAsync(client, warmed.Answers);
            await sql.ResetAsync();
        }
        while (Stopwatch.GetTimestamp() < warmUntil);

        var rounds = new List<RoundResult>();
        var latencies = new List<double>();
        var baselineLatencies = new List<double>();
        var usage = new List<(IReadOnlyList<ResourceUse> Use, double Seconds)>();
        long matches = 0, demands = 0, matchedKg = 0, baselineMatchedKg = 0, unmatched = 0;
        double demandRate = 0, baselineDemandRate = 0;
        IReadOnlyList<MarketAnswer> last = [];
        for (var round = 1; round <= profile.Rounds; round++)
        {
            var batch = plan.Demands(string.Create(CultureInfo.InvariantCulture, $"r{round}"), perRound);
            var clock = Stopwatch.StartNew();
            var meter = ResourceMeter.Start(context.Processes());
            var agrichain = await RunAsync(batch, d => SubmitAsync(client, d));
            var baseline = await RunAsync(batch, d => sql.MatchAsync(d));
            usage.Add((meter.Stop(), clock.Elapsed.TotalSeconds));

            var agrichainMatches = agrichain.Answers.Sum(a => a.Matches.Count);
            var baselineMatches = baseline.Answers.Sum(a => a.Matches.Count);
            var rate = agrichainMatches / agrichain.Elapsed.TotalSeconds;
            var baselineRate = baselineMatches / baseline.Elapsed.TotalSeconds;
            rounds.Add(new RoundResult(round, rate, baselineRate, rate / baselineRate));
            latencies.AddRange(agrichain.Answers.Select(a => a.Ms));
            baselineLatencies.AddRange(baseline.Answers.Select(a => a.Ms));
            matches += agrichainMatches;
            demands += batch.Count;
            matchedKg += agrichain.Answers.Sum(a => a.MatchedKg);
            baselineMatchedKg += baseline.Answers.Sum(a => a.MatchedKg);
            unmatched += agrichain.Answers.Count(a => a.Matches.Count == 0);
            demandRate += batch.Count / agrichain.Elapsed.TotalSeconds / profile.Rounds;
            baselineDemandRate += batch.Count / baseline.Elapsed.TotalSeconds / profile.Rounds;
            BenchContext.Log($"   round {round}: AgriChain {rate:N0} matches/s ({batch.Count / agrichain.Elapsed.TotalSeconds:N0} demands/s, {agrichainMatches:N0} matches, {agrichain.Answers.Sum(a => a.MatchedKg):N0} kg), SQL {baselineRate:N0} matches/s ({baselineMatches:N0} matches, {baseline.Answers.Sum(a => a.MatchedKg):N0} kg)");

            if (round < profile.Rounds)
            {
                await CancelAsync(client, agrichain.Answers);
                await sql.ResetAsync();
            }
            else
            {
                last = agrichain.Answers;
            }
        }

        BenchContext.Log($"   checking that no offer was oversold");
        var verified = await VerifyAsync(client, plan, last);
        var baselineOversold = await sql.OversoldAsync();
        if (baselineOversold != 0)
        {
            throw new InvalidOperationException($"The SQL baseline oversold {baselineOversold} offers: its conditional update is wrong.");
        }

        var resources = Combine(usage);
        var value = Stats.Median(rounds.Select(r => r.Value));
        var ratio = Stats.Median(rounds.Select(r => r.Ratio));
        return new ScenarioResult
        {
            Id = "6b",
            Name = "Market: demand matching",
            Metric = "demand matches per second (a match: kilograms of one offer allocated to one demand), never oversold",
            Unit = "matches/s",
            Value = value,
            Baseline = Stats.Median(rounds.Select(r => r.Baseline)),
            Ratio = ratio,
            Target = "≥ 5,000 matches/s with the never-oversold guarantee intact",
            P50Ms = Stats.Percentile(latencies, 50),
            P99Ms = Stats.Percentile(latencies, 99),
            Met = value >= TargetMatchesPerSecond,
            BaselineDescription = (context.Postgres is null
                    ? "a SQLite file beside AgriChain's (one writer at a time, through the same gated data source AgriChain uses)"
                    : "a database on the same PostgreSQL server, 16 connections")
                + ": each demand matched in one transaction from this process (no HTTP): insert the demand, SELECT the eligible offers with kilograms free in matching order (LIMIT 50, on a partial index), "
                + "then per offer a conditional UPDATE offers SET free_kg = free_kg - @take WHERE id = @id AND free_kg >= @take and an allocation row, until filled",
            BaselineP50Ms = Stats.Percentile(baselineLatencies, 50),
            BaselineP99Ms = Stats.Percentile(baselineLatencies, 99),
            Rounds = rounds,
            Resources = resources,
            Notes =
            [
                string.Create(CultureInfo.InvariantCulture, $"Demands: {perRound:N0} a round from {MarketPlan.Buyers} wholesalers, {Workers} submitted at once (closed loop), each for 1-5 t of nectarines (grade a 70 %, b 20 %, premium 10 %; at most 7.00-9.50 yuan/kg; delivered within 10-30 days; half of them inside one county), posted with the admin key. The same demands in the same order go to both sides; every round starts from full supply on both (AgriChain's demands of the round before are cancelled through the API and the baseline's table reset, untimed)."),
                string.Create(CultureInfo.InvariantCulture, $"Measured after {warmBatches} warm-up batches of {WarmupDemands} demands on each side ({profile.Warmup.TotalSeconds:0} s at least), each cancelled again: a quick round lasts under a second, and with 100 demands of warm-up the first round ran on code still in the JIT's first tiers (about 40 % slower)."),
                string.Create(CultureInfo.InvariantCulture, $"Over {profile.Rounds} rounds AgriChain answered {demands:N0} demands with {matches:N0} matches ({(double)matches / Math.Max(1, demands):0.0} a demand, {matchedKg / 1000.0:N0} t; {unmatched:N0} demands found nothing), {demandRate:N0} demands/s on average; the SQL baseline matched {baselineMatchedKg / 1000.0:N0} t at {baselineDemandRate:N0} demands/s. Both match cheapest first from the same offers; they may differ a little because concurrent demands meet in a different order."),
                string.Create(CultureInfo.InvariantCulture, $"Never oversold: after the last round (not cancelled) every one of the {verified.Offers:N0} offers its {last.Count:N0} demands matched was read back with GET /api/v1/offers/{{id}}: allocated ≤ offered on each, allocations adding up to allocated and free = offered − allocated, and each demand's allocation equal to what its answer said ({verified.Allocations:N0} allocations); the supply query over all grades then showed exactly the offered kilograms minus the matched ones ({verified.FreeKg:N0} kg free). The baseline's table passed the same check in SQL."),
                string.Create(CultureInfo.InvariantCulture, $"Setup: {setup.Seconds:0} s through the API (see 6a). p50/p99 are per demand, from sending it to its 201 answer with the matches."),
                resources.CpuPerItem(matches, "match", "matches"),
                MatchingChange,
                MatchingLimit,
            ],
        };
    }

    private static async Task<(double Ms, Dictionary<(string County, string Township, string Village), (long OnHandKg, long ForecastKg, long MinPriceCents, long Offers)> Villages)> GetSupplyAsync(
        HttpClient client, string path)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsByteArrayAsync();
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
        }

        using var document = JsonDocument.Parse(body);
        var villages = new Dictionary<(string, string, string), (long, long, long, long)>();
        foreach (var v in document.RootElement.GetProperty("byVillage").EnumerateArray())
        {
            villages[(v.GetProperty("county").GetString()!, v.GetProperty("township").GetString()!, v.GetProperty("village").GetString()!)] =
                ((long)v.GetProperty("onHandKg").GetDecimal(), (long)v.GetProperty("forecastKg").GetDecimal(),
                 (long)(v.GetProperty("minPricePerKg").GetDecimal() * 100), v.GetProperty("offers").GetInt64());
        }

        return (elapsed, villages);
    }

    /// <summary>Throws unless both answers agree village by village; answers how many offers they count.</summary>
    private static long Compare(
        Dictionary<(string County, string Township, string Village), (long OnHandKg, long ForecastKg, long MinPriceCents, long Offers)> agrichain,
        Dictionary<(string County, string Township, string Village), (long OnHandKg, long ForecastKg, long MinPriceCents, long Offers)> baseline)
    {
        if (agrichain.Count != MarketPlan.Villages.Count || agrichain.Count != baseline.Count
            || agrichain.Any(a => !baseline.TryGetValue(a.Key, out var b) || a.Value != b))
        {
            throw new InvalidOperationException("The supply answers differ: AgriChain "
                + string.Join("; ", agrichain.Select(a => $"{a.Key}={a.Value}")) + " / SQL " + string.Join("; ", baseline.Select(b => $"{b.Key}={b.Value}")));
        }

        return agrichain.Values.Sum(v => v.Offers);
    }

    private static async Task<MarketAnswer> SubmitAsync(HttpClient client, MarketDemand demand)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await client.PostAsJsonAsync(new Uri("/api/v1/demands", UriKind.Relative), new
        {
            id = demand.Id, buyerId = demand.BuyerId, product = MarketPlan.Product, grade = demand.Grade, quantityKg = demand.QuantityKg,
            maxPricePerKg = MarketPlan.Yuan(demand.MaxPriceCents), deliverBy = MarketPlan.Date(demand.DeliverBy), county = demand.County,
        });
        var body = await response.Content.ReadAsByteArrayAsync();
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"POST /api/v1/demands {demand.Id} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
        }

        using var document = JsonDocument.Parse(body);
        var matches = document.RootElement.GetProperty("matches").EnumerateArray()
            .Select(m => (m.GetProperty("offerId").GetString()!, (int)m.GetProperty("quantityKg").GetDecimal()))
            .ToList();
        return new MarketAnswer(demand.Id, matches, elapsed);
    }

    /// <summary>Every demand once, <see cref="Workers"/> at a time; answers in the demands' order and the time taken.</summary>
    private static async Task<(IReadOnlyList<MarketAnswer> Answers, TimeSpan Elapsed)> RunAsync(
        IReadOnlyList<MarketDemand> demands, Func<MarketDemand, Task<MarketAnswer>> submit)
    {
        var answers = new MarketAnswer[demands.Count];
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < demands.Count)
            {
                answers[i] = await submit(demands[i]);
            }
        })));
        return (answers, Stopwatch.GetElapsedTime(started));
    }

    private static Task CancelAsync(HttpClient client, IReadOnlyList<MarketAnswer> answers) =>
        AgriChainApi.ForEachAsync(answers.Where(a => a.Matches.Count > 0), async a =>
        {
            using var response = await client.PostAsync(new Uri($"/api/v1/demands/{a.DemandId}/cancel", UriKind.Relative), null);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Cancelling demand {a.DemandId} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        });

    private sealed record Verification(int Offers, int Allocations, long FreeKg);

    /// <summary>
    /// Reads back every offer the demands matched and checks it: never more allocated than offered, its books add up,
    /// and it holds for each demand exactly what the demand was told. Then the supply over all grades must be the
    /// offered kilograms minus the matched ones. Throws on any difference.
    /// </summary>
    private static async Task<Verification> VerifyAsync(HttpClient client, MarketPlan plan, IReadOnlyList<MarketAnswer> answers)
    {
        var expected = answers.SelectMany(a => a.Matches.Select(m => (a.DemandId, m.OfferId, m.Kg)))
            .GroupBy(m => m.OfferId)
            .ToDictionary(g => g.Key, g => g.ToDictionary(m => m.DemandId, m => (decimal)m.Kg));
        var quantities = plan.Offers.ToDictionary(o => o.Id, o => (decimal)o.QuantityKg);
        var problems = new System.Collections.Concurrent.ConcurrentBag<string>();
        await AgriChainApi.ForEachAsync(expected, async pair =>
        {
            using var response = await client.GetAsync(new Uri($"/api/v1/offers/{pair.Key}", UriKind.Relative));
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                problems.Add($"GET offer {pair.Key} answered {(int)response.StatusCode}: {text}");
                return;
            }

            using var document = JsonDocument.Parse(text);
            var offer = document.RootElement;
            var offered = offer.GetProperty("quantityKg").GetDecimal();
            var capacity = offer.GetProperty("capacityKg").GetDecimal();
            var allocated = offer.GetProperty("allocatedKg").GetDecimal();
            var free = offer.GetProperty("freeKg").GetDecimal();
            var allocations = offer.GetProperty("allocations").EnumerateArray()
                .ToDictionary(a => a.GetProperty("demandId").GetString()!, a => a.GetProperty("quantityKg").GetDecimal());
            if (offered != quantities[pair.Key] || capacity != offered || allocated > offered || allocated != allocations.Values.Sum()
                || free != capacity - allocated || allocations.Count != pair.Value.Count
                || pair.Value.Any(e => !allocations.TryGetValue(e.Key, out var held) || held != e.Value))
            {
                problems.Add($"offer {pair.Key}: offered {offered}, capacity {capacity}, allocated {allocated}, free {free}, allocations "
                    + string.Join(", ", allocations.Select(a => $"{a.Key}={a.Value}")) + "; the demands were told "
                    + string.Join(", ", pair.Value.Select(a => $"{a.Key}={a.Value}")));
            }
        });
        if (!problems.IsEmpty)
        {
            throw new InvalidOperationException($"Never-oversold check failed on {problems.Count} offers: " + string.Join(" | ", problems.Take(5)));
        }

        using var supply = await client.GetAsync(new Uri($"/api/v1/supply?product={MarketPlan.Product}", UriKind.Relative));
        var body = await supply.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        var total = json.RootElement.GetProperty("totalKg").GetDecimal();
        var want = plan.Offers.Sum(o => (decimal)o.QuantityKg) - answers.Sum(a => a.MatchedKg);
        if (total != want)
        {
            throw new InvalidOperationException($"After the last round the supply shows {total} kg free; offered minus matched is {want} kg.");
        }

        return new Verification(expected.Count, expected.Values.Sum(v => v.Count), (long)total);
    }

    private static List<RoundResult> LatencyRounds(List<double> agrichain, List<double> baseline, int count)
    {
        var size = Math.Max(1, agrichain.Count / count);
        return Enumerable.Range(0, count).Select(r =>
        {
            var a = Stats.Percentile(agrichain.Skip(r * size).Take(size), 99);
            var b = Stats.Percentile(baseline.Skip(r * size).Take(size), 99);
            return new RoundResult(r + 1, a, b, a / b);
        }).ToList();
    }

    /// <summary>The rounds' readings as one: CPU added up over the measured time only (not the resets between rounds), the highest peak.</summary>
    private static List<ResourceUse> Combine(List<(IReadOnlyList<ResourceUse> Use, double Seconds)> rounds)
    {
        var seconds = rounds.Sum(r => r.Seconds);
        return rounds.SelectMany(r => r.Use).GroupBy(u => u.Process, StringComparer.Ordinal).Select(g =>
        {
            var cpu = g.Sum(u => u.CpuSeconds);
            return new ResourceUse(g.Key, Math.Round(cpu, 2), Math.Round(seconds > 0 ? cpu / seconds * 100 : 0, 0),
                g.Max(u => u.PeakMemoryMb), Math.Round(g.Average(u => u.LoadAverage), 1));
        }).ToList();
    }
}
