using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace AgriChain.Benchmarks.Infrastructure;

/// <summary>One generated reading: which greenhouse (by index), when, and what it measured.</summary>
internal readonly record struct BenchReading(int Greenhouse, long AtMilliseconds, double TemperatureC, double HumidityPct);

/// <summary>
/// Readings for the benchmark greenhouses, in time order per greenhouse: each greenhouse's clock starts a few minutes
/// before the run and moves 10 ms per reading, always behind the wall clock (so the API's future check never trips and
/// the silence reminder never fires). Temperatures stay inside the flowering band (15-24.9 °C) except for a dip to
/// 8 °C every <see cref="DipEvery"/> readings of a greenhouse, which opens and then closes a below-floor alert.
/// Two feeds made alike produce the same rows, so AgriChain and its bulk-insert baseline store the same data.
/// A greenhouse must be fed by one worker at a time.
/// </summary>
internal sealed class ReadingFeed
{
    public const string Sensor = "s1";
    public const int DipEvery = 1_000;
    private const long StepMilliseconds = 10;

    private readonly long[] _next;
    private readonly int[] _count;

    public ReadingFeed(int greenhouses, DateTimeOffset start)
    {
        Greenhouses = greenhouses;
        _next = new long[greenhouses];
        _count = new int[greenhouses];
        Array.Fill(_next, start.ToUnixTimeMilliseconds());
    }

    public int Greenhouses { get; }

    public static string GreenhouseId(int index) => string.Create(CultureInfo.InvariantCulture, $"bench-gh-{index:D5}");

    public BenchReading Next(int greenhouse)
    {
        var n = _count[greenhouse]++;
        var at = _next[greenhouse];
        _next[greenhouse] = at + StepMilliseconds;
        var phase = n % DipEvery;
        var temperature = phase is >= DipEvery - 10 and < DipEvery - 7 ? 8.0 : 15 + (n % 100) / 10.0;
        return new BenchReading(greenhouse, at, temperature, 60);
    }

    /// <summary>Writes <c>{"readings":[...]}</c> with the next <paramref name="count"/> readings of one greenhouse.</summary>
    public void WriteRequest(Utf8JsonWriter json, int greenhouse, int count)
    {
        json.WriteStartObject();
        json.WriteStartArray("readings");
        for (var i = 0; i < count; i++)
        {
            var reading = Next(greenhouse);
            json.WriteStartObject();
            json.WriteString("at", DateTimeOffset.FromUnixTimeMilliseconds(reading.AtMilliseconds));
            json.WriteNumber("temperatureC", reading.TemperatureC);
            json.WriteNumber("humidityPct", reading.HumidityPct);
            json.WriteString("sensorId", Sensor);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
    }

    /// <summary>A reading body for one explicit temperature (the alert probes).</summary>
    public static byte[] SingleReading(DateTimeOffset at, double temperatureC)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using var json = new Utf8JsonWriter(buffer);
        json.WriteStartObject();
        json.WriteStartArray("readings");
        json.WriteStartObject();
        json.WriteString("at", at);
        json.WriteNumber("temperatureC", temperatureC);
        json.WriteNumber("humidityPct", 60);
        json.WriteString("sensorId", Sensor);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
