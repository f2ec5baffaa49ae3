using System.Buffers;
using System.Text.Json;
using AgriChain.Benchmarks.Infrastructure;

namespace AgriChain.Benchmarks.Scenarios;

/// <summary>
/// What each gateway sends: gateway w serves the greenhouses whose index is w modulo the gateway count, in turn, and
/// each POST carries 100-1,000 readings (a seeded random size). Two plans made alike send the same sequence, so the
/// bulk-insert baseline can write exactly the rows AgriChain is sent.
/// </summary>
internal sealed class GatewayPlan
{
    public const int MinBatch = 100;
    public const int MaxBatch = 1_000;

    private readonly ReadingFeed _feed;
    private readonly int _gateways;
    private readonly int[] _cursor;
    private readonly Random[] _sizes;
    private int _turn;

    public GatewayPlan(ReadingFeed feed, int gateways)
    {
        _feed = feed;
        _gateways = gateways;
        _cursor = Enumerable.Range(0, gateways).ToArray();
        _sizes = Enumerable.Range(0, gateways).Select(w => new Random(1_000 + w)).ToArray();
    }

    /// <summary>The next POST of gateway <paramref name="gateway"/>: which greenhouse and how many readings.</summary>
    public (int Greenhouse, int Count) Next(int gateway)
    {
        var greenhouse = _cursor[gateway];
        _cursor[gateway] = greenhouse + _gateways < _feed.Greenhouses ? greenhouse + _gateways : gateway % _feed.Greenhouses;
        return (greenhouse, _sizes[gateway].Next(MinBatch, MaxBatch + 1));
    }

    /// <summary>Writes gateway <paramref name="gateway"/>'s next request into <paramref name="buffer"/>.</summary>
    public (int Greenhouse, int Count) WriteNext(int gateway, ArrayBufferWriter<byte> buffer, Utf8JsonWriter json)
    {
        var (greenhouse, count) = Next(gateway);
        buffer.ResetWrittenCount();
        json.Reset(buffer);
        _feed.WriteRequest(json, greenhouse, count);
        return (greenhouse, count);
    }

    /// <summary>The rows of the next requests, gateways taking turns, until at least <paramref name="rows"/> are out.</summary>
    public BenchReading[] NextRows(int rows)
    {
        var chunk = new List<BenchReading>(rows + MaxBatch);
        while (chunk.Count < rows)
        {
            var (greenhouse, count) = Next(_turn);
            _turn = (_turn + 1) % _gateways;
            for (var i = 0; i < count; i++)
            {
                chunk.Add(_feed.Next(greenhouse));
            }
        }

        return [.. chunk];
    }
}
