using System.Data.Common;
using System.Diagnostics;
using AgriChain.Storage;
using static AgriChain.Benchmarks.Infrastructure.SqlCommands;

namespace AgriChain.Benchmarks.Baselines;

/// <summary>
/// The trace baseline: the same lineage as two plain tables (batches, and parent-child edges indexed both ways) in a
/// database on the same storage, walked with one recursive SQL query, the way a relational traceability system
/// answers it. Upstream and downstream read every reached batch's row; recall marks the reached batches recalled in
/// one transaction and sums what they hold.
/// </summary>
internal sealed class LineageSql(AgriChainDatabase database)
{
    private const string Schema =
        """
        CREATE TABLE bench_batches (id TEXT PRIMARY KEY, product TEXT NOT NULL, quantity DOUBLE PRECISION NOT NULL, unit TEXT NOT NULL, status TEXT NOT NULL);
        CREATE TABLE bench_edges (parent TEXT NOT NULL, child TEXT NOT NULL, quantity DOUBLE PRECISION NOT NULL, PRIMARY KEY (parent, child));
        CREATE INDEX ix_bench_edges_child ON bench_edges (child, parent);
        """;

    private const string Upstream =
        """
        WITH RECURSIVE walk(id, depth) AS (
            SELECT @root, 0
            UNION
            SELECT e.parent, w.depth + 1 FROM bench_edges e JOIN walk w ON e.child = w.id WHERE w.depth < 50)
        SELECT b.id, b.product, b.quantity, b.unit, b.status, MIN(w.depth)
        FROM walk w JOIN bench_batches b ON b.id = w.id
        GROUP BY b.id, b.product, b.quantity, b.unit, b.status
        """;

    private const string Downstream =
        """
        WITH RECURSIVE walk(id, depth) AS (
            SELECT @root, 0
            UNION
            SELECT e.child, w.depth + 1 FROM bench_edges e JOIN walk w ON e.parent = w.id WHERE w.depth < 50)
        SELECT b.id, b.product, b.quantity, b.unit, b.status, MIN(w.depth)
        FROM walk w JOIN bench_batches b ON b.id = w.id
        GROUP BY b.id, b.product, b.quantity, b.unit, b.status
        """;

    private const string Recall =
        """
        WITH RECURSIVE walk(id) AS (
            SELECT @root
            UNION
            SELECT e.child FROM bench_edges e JOIN walk w ON e.parent = w.id)
        UPDATE bench_batches SET status = 'recalled' WHERE id IN (SELECT id FROM walk)
        """;

    private const string Impact =
        """
        WITH RECURSIVE walk(id) AS (
            SELECT @root
            UNION
            SELECT e.child FROM bench_edges e JOIN walk w ON e.parent = w.id)
        SELECT b.unit, SUM(b.quantity), COUNT(*) FROM bench_batches b WHERE b.id IN (SELECT id FROM walk) GROUP BY b.unit
        """;

    public async Task LoadAsync(IReadOnlyList<(string Id, double Quantity)> batches, IReadOnlyList<(string Parent, string Child, double Quantity)> edges)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var schema = connection.CreateCommand())
        {
            schema.Transaction = transaction;
            schema.CommandText = Schema;
            await schema.ExecuteNonQueryAsync();
        }

        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO bench_batches (id, product, quantity, unit, status) VALUES (@id, 'nectarine', @quantity, 'kg', 'active')";
            var id = Add(insert, "id", string.Empty);
            var quantity = Add(insert, "quantity", 0.0);
            foreach (var batch in batches)
            {
                id.Value = batch.Id;
                quantity.Value = batch.Quantity;
                await insert.ExecuteNonQueryAsync();
            }
        }

        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO bench_edges (parent, child, quantity) VALUES (@parent, @child, @quantity)";
            var parent = Add(insert, "parent", string.Empty);
            var child = Add(insert, "child", string.Empty);
            var quantity = Add(insert, "quantity", 0.0);
            foreach (var edge in edges)
            {
                parent.Value = edge.Parent;
                child.Value = edge.Child;
                quantity.Value = edge.Quantity;
                await insert.ExecuteNonQueryAsync();
            }
        }

        await transaction.CommitAsync();
    }

    /// <summary>Walks upstream of <paramref name="root"/>; returns the milliseconds taken and the batches reached (root included).</summary>
    public Task<(double Ms, int Batches)> UpstreamAsync(string root) => ReadAsync(Upstream, root);

    public Task<(double Ms, int Batches)> DownstreamAsync(string root) => ReadAsync(Downstream, root);

    /// <summary>Marks everything made from <paramref name="root"/> recalled and sums it, in one transaction.</summary>
    public async Task<(double Ms, int Batches)> RecallAsync(string root)
    {
        var started = Stopwatch.GetTimestamp();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var update = connection.CreateCommand())
        {
            update.Transaction = transaction;
            update.CommandText = Recall;
            Add(update, "root", root);
            await update.ExecuteNonQueryAsync();
        }

        var count = 0;
        await using (var impact = connection.CreateCommand())
        {
            impact.Transaction = transaction;
            impact.CommandText = Impact;
            Add(impact, "root", root);
            await using var reader = await impact.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                count += Convert.ToInt32(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        await transaction.CommitAsync();
        return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, count);
    }

    private async Task<(double Ms, int Batches)> ReadAsync(string sql, string root)
    {
        var started = Stopwatch.GetTimestamp();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        Add(command, "root", root);
        var count = 0;
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                _ = reader.GetString(0);
                _ = reader.GetDouble(2);
                count++;
            }
        }

        return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, count);
    }
}
