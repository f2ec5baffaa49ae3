using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using AgriChain.Benchmarks.Scenarios;
using AgriChain.Storage;
using Npgsql;
using NpgsqlTypes;
using static AgriChain.Benchmarks.Infrastructure.SqlCommands;

namespace AgriChain.Benchmarks.Baselines;

/// <summary>
/// The market baseline: the same offers as rows of one indexed table in a database on the same storage, the supply
/// query as one GROUP BY over it, and each demand matched in one transaction the way a relational marketplace does
/// it: read the eligible offers with something free in matching order (cheapest, earliest available, oldest, at most
/// 50), then take from each with a conditional <c>UPDATE ... SET free_kg = free_kg - @take WHERE free_kg &gt;= @take</c>
/// and record the allocation, until the demand is filled. The conditional update is what keeps an offer from being
/// oversold when demands run concurrently (PostgreSQL re-checks the condition on the row's newest version).
/// Kilograms and cents are integers and days are day numbers, so no floating point enters the comparison.
/// </summary>
internal sealed class MarketSql(AgriChainDatabase database)
{
    private const string Schema =
        """
        CREATE TABLE bench_offers (
            id TEXT PRIMARY KEY, owner_id TEXT NOT NULL, village TEXT NOT NULL, township TEXT NOT NULL, county TEXT NOT NULL,
            product TEXT NOT NULL, grade_rank INTEGER NOT NULL, kind INTEGER NOT NULL, price_cents INTEGER NOT NULL,
            available_from INTEGER NOT NULL, available_to INTEGER NOT NULL, quantity_kg BIGINT NOT NULL, free_kg BIGINT NOT NULL,
            cold_event INTEGER NOT NULL, created_seq BIGINT NOT NULL);
        CREATE INDEX ix_bench_offers_supply ON bench_offers (product, county, township, village, grade_rank, available_from, available_to, free_kg, kind, price_cents);
        CREATE INDEX ix_bench_offers_match ON bench_offers (product, price_cents, available_from, created_seq, id) WHERE free_kg > 0;
        CREATE TABLE bench_demands (
            id TEXT PRIMARY KEY, buyer_id TEXT NOT NULL, product TEXT NOT NULL, grade_rank INTEGER NOT NULL, quantity_kg BIGINT NOT NULL,
            max_price_cents INTEGER NOT NULL, deliver_by INTEGER NOT NULL, county TEXT NULL, matched_kg BIGINT NOT NULL, status TEXT NOT NULL);
        CREATE TABLE bench_allocations (
            demand_id TEXT NOT NULL, offer_id TEXT NOT NULL, quantity_kg BIGINT NOT NULL, PRIMARY KEY (demand_id, offer_id));
        CREATE INDEX ix_bench_allocations_offer ON bench_allocations (offer_id);
        """;

    private const string SupplyQuery =
        """
        SELECT county, township, village,
               SUM(CASE WHEN kind = 0 THEN free_kg ELSE 0 END), SUM(CASE WHEN kind = 1 THEN free_kg ELSE 0 END),
               MIN(price_cents), COUNT(*)
        FROM bench_offers
        WHERE product = @product AND free_kg > 0 AND grade_rank <= @grade AND available_from <= @by AND available_to >= @today
        GROUP BY county, township, village
        ORDER BY county, township, village
        """;

    private const string CandidatesAnywhere =
        """
        SELECT id, free_kg FROM bench_offers
        WHERE product = @product AND free_kg > 0 AND grade_rank <= @grade AND price_cents <= @max
          AND available_from <= @by AND available_to >= @today
        ORDER BY price_cents, available_from, created_seq, id
        LIMIT 50
        """;

    private const string CandidatesInCounty =
        """
        SELECT id, free_kg FROM bench_offers
        WHERE product = @product AND free_kg > 0 AND grade_rank <= @grade AND price_cents <= @max
          AND available_from <= @by AND available_to >= @today AND county = @county
        ORDER BY price_cents, available_from, created_seq, id
        LIMIT 50
        """;

    private readonly bool _sqlite = database.Provider == StorageProvider.Sqlite;
    private int _today;

    public async Task LoadAsync(MarketPlan plan)
    {
        _today = plan.Today.DayNumber;
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using (var schema = Command(connection, transaction, Schema))
            {
                await schema.ExecuteNonQueryAsync();
            }

            if (_sqlite)
            {
                await InsertAsync(connection, transaction, plan);
            }
            else
            {
                await CopyAsync((NpgsqlConnection)connection, plan);
            }

            await transaction.CommitAsync();
        }

        await using var analyze = Command(connection, null, "ANALYZE");
        await analyze.ExecuteNonQueryAsync();
    }

    /// <summary>The supply per village: (county, township, village) → (on hand kg, forecast kg, lowest price in cents, offers).</summary>
    public async Task<(double Ms, Dictionary<(string County, string Township, string Village), (long OnHandKg, long ForecastKg, long MinPriceCents, long Offers)> Villages)> SupplyAsync(
        string product, string grade, DateOnly availableBy)
    {
        var started = Stopwatch.GetTimestamp();
        var villages = new Dictionary<(string, string, string), (long, long, long, long)>();
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        await using (var command = Command(connection, null, SupplyQuery))
        {
            Add(command, "product", product);
            Add(command, "grade", MarketPlan.GradeRank(grade));
            Add(command, "by", availableBy.DayNumber);
            Add(command, "today", _today);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                villages[(reader.GetString(0), reader.GetString(1), reader.GetString(2))] =
                    (Long(reader.GetValue(3)), Long(reader.GetValue(4)), Long(reader.GetValue(5)), Long(reader.GetValue(6)));
            }
        }

        return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, villages);
    }

    /// <summary>Matches one demand in one transaction; answers its allocations.</summary>
    public async Task<MarketAnswer> MatchAsync(MarketDemand demand)
    {
        var started = Stopwatch.GetTimestamp();
        var matches = new List<(string OfferId, int Kg)>();
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using (var insert = Command(connection, transaction,
                "INSERT INTO bench_demands (id, buyer_id, product, grade_rank, quantity_kg, max_price_cents, deliver_by, county, matched_kg, status) "
                + "VALUES (@id, @buyer, @product, @grade, @quantity, @max, @by, @county, 0, 'open')"))
            {
                Add(insert, "id", demand.Id);
                Add(insert, "buyer", demand.BuyerId);
                Add(insert, "product", MarketPlan.Product);
                Add(insert, "grade", MarketPlan.GradeRank(demand.Grade));
                Add(insert, "quantity", (long)demand.QuantityKg);
                Add(insert, "max", demand.MaxPriceCents);
                Add(insert, "by", demand.DeliverBy.DayNumber);
                Add(insert, "county", (object?)demand.County ?? DBNull.Value);
                await insert.ExecuteNonQueryAsync();
            }

            var candidates = new List<(string Id, long FreeKg)>(MarketPlan.MaxCandidates);
            await using (var select = Command(connection, transaction,
                demand.County is null ? CandidatesAnywhere : CandidatesInCounty))
            {
                Add(select, "product", MarketPlan.Product);
                Add(select, "grade", MarketPlan.GradeRank(demand.Grade));
                Add(select, "max", demand.MaxPriceCents);
                Add(select, "by", demand.DeliverBy.DayNumber);
                Add(select, "today", _today);
                if (demand.County is not null)
                {
                    Add(select, "county", demand.County);
                }

                await using var reader = await select.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    candidates.Add((reader.GetString(0), reader.GetInt64(1)));
                }
            }

            await using var take = Command(connection, transaction,
                "UPDATE bench_offers SET free_kg = free_kg - @take WHERE id = @id AND free_kg >= @take");
            var takeKg = Add(take, "take", 0L);
            var takeId = Add(take, "id", string.Empty);
            await using var reread = Command(connection, transaction, "SELECT free_kg FROM bench_offers WHERE id = @id");
            var rereadId = Add(reread, "id", string.Empty);
            await using var allocate = Command(connection, transaction,
                "INSERT INTO bench_allocations (demand_id, offer_id, quantity_kg) VALUES (@demand, @offer, @kg)");
            Add(allocate, "demand", demand.Id);
            var allocateOffer = Add(allocate, "offer", string.Empty);
            var allocateKg = Add(allocate, "kg", 0L);

            long need = demand.QuantityKg;
            foreach (var (id, seenFree) in candidates)
            {
                var free = seenFree;
                // A concurrent demand may have taken some since the SELECT: read the row again and try once more.
                for (var attempt = 0; attempt < 2 && need > 0 && free > 0; attempt++)
                {
                    var kg = Math.Min(need, free);
                    takeKg.Value = kg;
                    takeId.Value = id;
                    if (await take.ExecuteNonQueryAsync() == 1)
                    {
                        allocateOffer.Value = id;
                        allocateKg.Value = kg;
                        await allocate.ExecuteNonQueryAsync();
                        matches.Add((id, (int)kg));
                        need -= kg;
                        break;
                    }

                    rereadId.Value = id;
                    free = Long(await reread.ExecuteScalarAsync());
                }

                if (need <= 0)
                {
                    break;
                }
            }

            await using (var settle = Command(connection, transaction, "UPDATE bench_demands SET matched_kg = @matched, status = @status WHERE id = @id"))
            {
                var matched = demand.QuantityKg - need;
                Add(settle, "matched", matched);
                Add(settle, "status", need == 0 ? "matched" : matched > 0 ? "partially-matched" : "open");
                Add(settle, "id", demand.Id);
                await settle.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }

        return new MarketAnswer(demand.Id, matches, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Every offer back to its full quantity, no demands: the state the next round starts from.</summary>
    public async Task ResetAsync()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var reset = Command(connection, transaction,
            "UPDATE bench_offers SET free_kg = quantity_kg WHERE free_kg <> quantity_kg; DELETE FROM bench_allocations; DELETE FROM bench_demands"))
        {
            await reset.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    /// <summary>Offers whose free kilograms are negative or disagree with their allocations (none, when never oversold).</summary>
    public async Task<long> OversoldAsync()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var command = Command(connection, null,
            "SELECT COUNT(*) FROM bench_offers o WHERE o.free_kg < 0 OR o.quantity_kg - o.free_kg <> "
            + "COALESCE((SELECT SUM(a.quantity_kg) FROM bench_allocations a WHERE a.offer_id = o.id), 0)");
        return Long(await command.ExecuteScalarAsync());
    }

    private static async Task InsertAsync(DbConnection connection, DbTransaction transaction, MarketPlan plan)
    {
        await using var insert = Command(connection, transaction,
            "INSERT INTO bench_offers (id, owner_id, village, township, county, product, grade_rank, kind, price_cents, available_from, available_to, quantity_kg, free_kg, cold_event, created_seq) "
            + "VALUES (@id, @owner, @village, @township, @county, @product, @grade, 0, @price, @from, @to, @quantity, @quantity, 0, @seq)");
        var id = Add(insert, "id", string.Empty);
        var owner = Add(insert, "owner", string.Empty);
        var village = Add(insert, "village", string.Empty);
        var township = Add(insert, "township", string.Empty);
        var county = Add(insert, "county", string.Empty);
        Add(insert, "product", MarketPlan.Product);
        var grade = Add(insert, "grade", 0);
        var price = Add(insert, "price", 0);
        var from = Add(insert, "from", 0);
        var to = Add(insert, "to", 0);
        var quantity = Add(insert, "quantity", 0L);
        var seq = Add(insert, "seq", 0L);
        await insert.PrepareAsync();
        foreach (var offer in plan.Offers)
        {
            var place = MarketPlan.Villages[offer.Village];
            id.Value = offer.Id;
            owner.Value = place.Cooperative;
            village.Value = place.Village;
            township.Value = place.Township;
            county.Value = place.County;
            grade.Value = MarketPlan.GradeRank(offer.Grade);
            price.Value = offer.PriceCents;
            from.Value = offer.AvailableFrom.DayNumber;
            to.Value = offer.AvailableTo.DayNumber;
            quantity.Value = (long)offer.QuantityKg;
            seq.Value = (long)offer.Sequence;
            await insert.ExecuteNonQueryAsync();
        }
    }

    private static async Task CopyAsync(NpgsqlConnection connection, MarketPlan plan)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY bench_offers (id, owner_id, village, township, county, product, grade_rank, kind, price_cents, available_from, available_to, quantity_kg, free_kg, cold_event, created_seq) FROM STDIN (FORMAT BINARY)");
        foreach (var offer in plan.Offers)
        {
            var place = MarketPlan.Villages[offer.Village];
            writer.StartRow();
            writer.Write(offer.Id, NpgsqlDbType.Text);
            writer.Write(place.Cooperative, NpgsqlDbType.Text);
            writer.Write(place.Village, NpgsqlDbType.Text);
            writer.Write(place.Township, NpgsqlDbType.Text);
            writer.Write(place.County, NpgsqlDbType.Text);
            writer.Write(MarketPlan.Product, NpgsqlDbType.Text);
            writer.Write(MarketPlan.GradeRank(offer.Grade), NpgsqlDbType.Integer);
            writer.Write(0, NpgsqlDbType.Integer);
            writer.Write(offer.PriceCents, NpgsqlDbType.Integer);
            writer.Write(offer.AvailableFrom.DayNumber, NpgsqlDbType.Integer);
            writer.Write(offer.AvailableTo.DayNumber, NpgsqlDbType.Integer);
            writer.Write((long)offer.QuantityKg, NpgsqlDbType.Bigint);
            writer.Write((long)offer.QuantityKg, NpgsqlDbType.Bigint);
            writer.Write(0, NpgsqlDbType.Integer);
            writer.Write((long)offer.Sequence, NpgsqlDbType.Bigint);
        }

        await writer.CompleteAsync();
    }

    private static long Long(object? value) => value is null or DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
}
