using System.Buffers;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AgriChain.Benchmarks.Infrastructure;
using AgriChain.Benchmarks.Reporting;
using AgriChain.Storage;
using Npgsql;
using NpgsqlTypes;
using static AgriChain.Benchmarks.Infrastructure.SqlCommands;

namespace AgriChain.Benchmarks.Scenarios;

/// <summary>
/// Scenario 5. EPCIS 2.0 documents of 100 ObjectEvents each are captured through <c>POST /api/v1/epcis/capture</c>
/// (schema validation, event ids, storage), alternating with the raw insert of the same event rows (events and
/// their EPC index rows, one transaction per document) into a database with AgriChain's EPCIS tables and indexes.
/// </summary>
internal static class EpcisCapture
{
    private const int Clients = 4;
    private const int EventsPerDocument = 100;
    private const double TargetRate = 4_000;
    private const string Scope = "";
    private const string ReadPoint = "urn:epc:id:sgln:0614141.07346.1234";

    public static async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        var profile = context.Profile;
        BenchContext.Log($"5. EPCIS capture: {EventsPerDocument}-event documents from {Clients} clients, {profile.Rounds} rounds of {profile.Round.TotalSeconds:0} s each side");
        await using var database = await context.CreateBaselineDatabaseAsync("baseline_epcis");
        using var client = AgriChainApi.Client(context.Server.BaseAddress, Clients);
        var serial = 0L;
        var baselineSerial = 0L;
        var buffers = Enumerable.Range(0, Clients).Select(_ => new ArrayBufferWriter<byte>(64 * 1024)).ToArray();

        async Task<int> Step(int worker, CancellationToken cancellationToken)
        {
            var events = Events(Interlocked.Add(ref serial, EventsPerDocument) - EventsPerDocument);
            var buffer = buffers[worker];
            buffer.ResetWrittenCount();
            WriteDocument(buffer, events);
            using var content = new ReadOnlyMemoryContent(buffer.WrittenMemory);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync(new Uri("/api/v1/epcis/capture", UriKind.Relative), content, cancellationToken);
            var answer = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"POST /api/v1/epcis/capture answered {(int)response.StatusCode}: {answer[..Math.Min(answer.Length, 500)]}");
            }

            using var json = JsonDocument.Parse(answer);
            var stored = json.RootElement.GetProperty("stored").GetInt32();
            return stored == EventsPerDocument
                ? stored
                : throw new InvalidOperationException($"A capture stored {stored} of {EventsPerDocument} events: {answer}");
        }

        var insert = new RawEventInsert(database);
        async Task<(long Events, TimeSpan Elapsed)> BaselineAsync(TimeSpan duration)
        {
            long events = 0;
            var elapsed = TimeSpan.Zero;
            while (elapsed < duration)
            {
                var document = Events(baselineSerial);
                baselineSerial += EventsPerDocument;
                var started = Stopwatch.GetTimestamp();
                await insert.InsertAsync(document);
                elapsed += Stopwatch.GetElapsedTime(started);
                events += document.Count;
            }

            return (events, elapsed);
        }

        await LoadRunner.RunAsync(Clients, profile.Warmup, Step);
        await BaselineAsync(profile.Warmup);

        var meter = ResourceMeter.Start(context.Processes());
        var rounds = new List<RoundResult>();
        var latencies = new List<double>();
        var failures = 0;
        long captured = 0;
        for (var round = 1; round <= profile.Rounds; round++)
        {
            var agrichain = await LoadRunner.RunAsync(Clients, profile.Round, Step);
            var (events, elapsed) = await BaselineAsync(profile.Round);
            var baselineRate = events / elapsed.TotalSeconds;
            rounds.Add(new RoundResult(round, agrichain.ItemsPerSecond, baselineRate, agrichain.ItemsPerSecond / baselineRate));
            latencies.AddRange(agrichain.LatenciesMs);
            failures += agrichain.Failures;
            captured += agrichain.Items;
            BenchContext.Log($"   round {round}: AgriChain {agrichain.ItemsPerSecond:N0} events/s, raw insert {baselineRate:N0} events/s");
        }

        var resources = meter.Stop();
        var value = Stats.Median(rounds.Select(r => r.Value));
        return new ScenarioResult
        {
            Id = "5",
            Name = "EPCIS capture",
            Metric = "events captured per second (100-event documents, full schema validation)",
            Unit = "events/s",
            Value = value,
            Baseline = Stats.Median(rounds.Select(r => r.Baseline)),
            Ratio = Stats.Median(rounds.Select(r => r.Ratio)),
            Target = "≥ 4,000 events/s",
            P50Ms = Stats.Percentile(latencies, 50),
            P99Ms = Stats.Percentile(latencies, 99),
            Met = value >= TargetRate,
            BaselineDescription = context.Postgres is null
                ? "the raw insert of the same events (one row each with its JSON body, plus its EPC index row and the capture row) into a second SQLite file with AgriChain's EPCIS tables and indexes, one transaction per 100-event document, prepared statements from this process"
                : "the raw insert of the same events (one row each with its JSON body, plus its EPC index row and the capture row) into a second database on the same PostgreSQL server with AgriChain's EPCIS tables and indexes, one transaction per 100-event document, the event and index rows by binary COPY",
            Rounds = rounds,
            Resources = resources,
            Notes =
            [
                string.Create(CultureInfo.InvariantCulture, $"Documents of {EventsPerDocument} ObjectEvents (eventID, eventTime, one SGTIN, action, bizStep, disposition, readPoint) posted by {Clients} clients with the admin key; every capture answered 202 with all {EventsPerDocument} events stored; {failures} failed."),
                resources.CpuPerItem(captured, "event"),
                "p50/p99 are per document. The EPCIS feature was still being built (uncommitted) when this was measured.",
            ],
        };
    }

    private sealed record BenchEvent(string Id, DateTimeOffset Time, string Epc, string Body);

    private static List<BenchEvent> Events(long first)
    {
        var start = new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.FromHours(8));
        var events = new List<BenchEvent>(EventsPerDocument);
        for (var i = 0; i < EventsPerDocument; i++)
        {
            var n = first + i;
            var id = string.Create(CultureInfo.InvariantCulture, $"urn:uuid:{new Guid((int)(n >> 16), (short)(n & 0xFFFF), 0x4000, 0x80, 0, 0, 0, 0, 0, 0, 0):D}");
            var time = start.AddMilliseconds(n);
            var epc = string.Create(CultureInfo.InvariantCulture, $"urn:epc:id:sgtin:0614141.107346.{n}");
            var body = new ArrayBufferWriter<byte>(512);
            using (var json = new Utf8JsonWriter(body))
            {
                WriteEvent(json, id, time, epc);
            }

            events.Add(new BenchEvent(id, time, epc, Encoding.UTF8.GetString(body.WrittenSpan)));
        }

        return events;
    }

    private static void WriteEvent(Utf8JsonWriter json, string id, DateTimeOffset time, string epc)
    {
        json.WriteStartObject();
        json.WriteString("type", "ObjectEvent");
        json.WriteString("eventID", id);
        json.WriteString("eventTime", time.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture));
        json.WriteString("eventTimeZoneOffset", "+08:00");
        json.WriteStartArray("epcList");
        json.WriteStringValue(epc);
        json.WriteEndArray();
        json.WriteString("action", "OBSERVE");
        json.WriteString("bizStep", "shipping");
        json.WriteString("disposition", "in_transit");
        json.WriteStartObject("readPoint");
        json.WriteString("id", ReadPoint);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteDocument(ArrayBufferWriter<byte> buffer, List<BenchEvent> events)
    {
        using var json = new Utf8JsonWriter(buffer);
        json.WriteStartObject();
        json.WriteStartArray("@context");
        json.WriteStringValue("https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld");
        json.WriteEndArray();
        json.WriteString("type", "EPCISDocument");
        json.WriteString("schemaVersion", "2.0");
        json.WriteString("creationDate", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        json.WriteStartObject("epcisBody");
        json.WriteStartArray("eventList");
        foreach (var e in events)
        {
            WriteEvent(json, e.Id, e.Time, e.Epc);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>The same rows AgriChain's event store writes, inserted with plain prepared statements.</summary>
    private sealed class RawEventInsert(AgriChainDatabase database)
    {
        private long _key = 1_000_000_000;
        private long _capture;

        public async Task InsertAsync(List<BenchEvent> events)
        {
            var sqlite = database.Provider == StorageProvider.Sqlite;
            var now = DateTimeOffset.UtcNow;
            var captureId = string.Create(CultureInfo.InvariantCulture, $"cap-bench-{++_capture}");
            await using var connection = await database.DataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var capture = Command(connection, transaction, sqlite
                ? "INSERT INTO agrichain_epcis_captures (capture_id, scope, source, captured_by, captured_at_us, event_count, stored, declared, duplicates) VALUES (@id, @scope, 'capture', 'bench', @at, @count, @count, 0, 0)"
                : "INSERT INTO agrichain_epcis_captures (capture_id, scope, source, captured_by, captured_at, event_count, stored, declared, duplicates) VALUES (@id, @scope, 'capture', 'bench', @at, @count, @count, 0, 0)"))
            {
                Add(capture, "id", captureId);
                Add(capture, "scope", Scope);
                Add(capture, "at", sqlite ? Microseconds(now) : now);
                Add(capture, "count", events.Count);
                await capture.ExecuteNonQueryAsync();
            }

            if (!sqlite)
            {
                await CopyAsync((NpgsqlConnection)connection, events, captureId, now);
                await transaction.CommitAsync();
                return;
            }

            await using var insertEvent = Command(connection, transaction, sqlite
                ? "INSERT INTO agrichain_epcis_events (event_key, scope, event_id, source, event_type, event_time_us, record_time_us, action, biz_step, disposition, read_point, biz_location, error_declared, capture_id, body) VALUES (@key, @scope, @id, 'capture', 'ObjectEvent', @time, @record, 'OBSERVE', 'shipping', 'in_transit', @readPoint, NULL, 0, @capture, @body)"
                : "INSERT INTO agrichain_epcis_events (event_key, scope, event_id, source, event_type, event_time, record_time, action, biz_step, disposition, read_point, biz_location, error_declared, capture_id, body) OVERRIDING SYSTEM VALUE VALUES (@key, @scope, @id, 'capture', 'ObjectEvent', @time, @record, 'OBSERVE', 'shipping', 'in_transit', @readPoint, NULL, false, @capture, @body)");
            var key = Add(insertEvent, "key", 0L);
            Add(insertEvent, "scope", Scope);
            var id = Add(insertEvent, "id", string.Empty);
            var time = Add(insertEvent, "time", sqlite ? 0L : now);
            Add(insertEvent, "record", sqlite ? Microseconds(now) : now);
            Add(insertEvent, "readPoint", ReadPoint);
            Add(insertEvent, "capture", captureId);
            var body = Add(insertEvent, "body", string.Empty);
            await insertEvent.PrepareAsync();

            await using var insertId = Command(connection, transaction,
                "INSERT INTO agrichain_epcis_event_ids (event_key, role, value, batch_id) VALUES (@key, 'epc', @value, NULL)");
            var idKey = Add(insertId, "key", 0L);
            var value = Add(insertId, "value", string.Empty);
            await insertId.PrepareAsync();

            foreach (var e in events)
            {
                key.Value = idKey.Value = ++_key;
                id.Value = e.Id;
                time.Value = sqlite ? Microseconds(e.Time) : e.Time.ToUniversalTime();
                body.Value = e.Body;
                await insertEvent.ExecuteNonQueryAsync();
                value.Value = e.Epc;
                await insertId.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }

        /// <summary>PostgreSQL: the events and their identifier rows by binary COPY, as the ingest baseline loads readings.</summary>
        private async Task CopyAsync(NpgsqlConnection connection, List<BenchEvent> events, string captureId, DateTimeOffset now)
        {
            var first = _key + 1;
            await using (var writer = await connection.BeginBinaryImportAsync(
                "COPY agrichain_epcis_events (event_key, scope, event_id, source, event_type, event_time, record_time, action, biz_step, disposition, read_point, biz_location, error_declared, capture_id, body) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var e in events)
                {
                    writer.StartRow();
                    writer.Write(++_key, NpgsqlDbType.Bigint);
                    writer.Write(Scope, NpgsqlDbType.Text);
                    writer.Write(e.Id, NpgsqlDbType.Text);
                    writer.Write("capture", NpgsqlDbType.Text);
                    writer.Write("ObjectEvent", NpgsqlDbType.Text);
                    writer.Write(e.Time.ToUniversalTime(), NpgsqlDbType.TimestampTz);
                    writer.Write(now, NpgsqlDbType.TimestampTz);
                    writer.Write("OBSERVE", NpgsqlDbType.Text);
                    writer.Write("shipping", NpgsqlDbType.Text);
                    writer.Write("in_transit", NpgsqlDbType.Text);
                    writer.Write(ReadPoint, NpgsqlDbType.Text);
                    writer.WriteNull();
                    writer.Write(false, NpgsqlDbType.Boolean);
                    writer.Write(captureId, NpgsqlDbType.Text);
                    writer.Write(e.Body, NpgsqlDbType.Text);
                }

                await writer.CompleteAsync();
            }

            await using (var writer = await connection.BeginBinaryImportAsync(
                "COPY agrichain_epcis_event_ids (event_key, role, value, batch_id) FROM STDIN (FORMAT BINARY)"))
            {
                var key = first;
                foreach (var e in events)
                {
                    writer.StartRow();
                    writer.Write(key++, NpgsqlDbType.Bigint);
                    writer.Write("epc", NpgsqlDbType.Text);
                    writer.Write(e.Epc, NpgsqlDbType.Text);
                    writer.WriteNull();
                }

                await writer.CompleteAsync();
            }
        }

        private static long Microseconds(DateTimeOffset at) => (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
    }
}
