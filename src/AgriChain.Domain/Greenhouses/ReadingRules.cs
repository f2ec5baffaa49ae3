using System.Globalization;
using AgriChain.Domain.Common;

namespace AgriChain.Domain.Greenhouses;

/// <summary>A reading as a client sent it, before validation (from JSON or a CSV row).</summary>
public sealed record RawReading(string? At, double? TemperatureC, double? HumidityPct, string? SensorId);

/// <summary>What a plausible reading is, and how a batch is judged: any bad item rejects the whole batch.</summary>
public static class ReadingRules
{
    public const double MinTemperatureC = -50;
    public const double MaxTemperatureC = 70;
    public const int MaxBatch = 10_000;

    /// <summary>Clocks of loggers drift; a reading up to this far in the future is still believed.</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    /// <summary>Validates every item, naming each bad field as <c>readings[i].field</c>; null when any is bad.</summary>
    public static IReadOnlyList<Reading>? Validate(IReadOnlyList<RawReading?>? raw, DateTimeOffset now, FieldErrors errors)
    {
        if (raw is null || raw.Count == 0)
        {
            errors.Add("readings", "must contain at least one reading");
            return null;
        }

        if (raw.Count > MaxBatch)
        {
            errors.Add("readings", $"must contain at most {MaxBatch} readings per request");
            return null;
        }

        // Field names are built only for readings that are wrong: a gateway's thousand good readings cost none.
        var readings = new List<Reading>(raw.Count);
        string? lastSensor = null;
        for (var i = 0; i < raw.Count; i++)
        {
            var item = raw[i];
            if (item is null)
            {
                errors.Add(Field(i), "is required");
                continue;
            }

            var at = TryParseTime(item.At, out var problem);
            if (problem is not null)
            {
                errors.Add(Field(i, "at"), problem);
            }
            else if (at > now + FutureTolerance)
            {
                errors.Add(Field(i, "at"), $"is more than {FutureTolerance.TotalMinutes:0} minutes in the future");
            }

            if (item.TemperatureC is not { } temperature)
            {
                errors.Add(Field(i, "temperatureC"), "is required");
            }
            else if (!double.IsFinite(temperature) || temperature < MinTemperatureC || temperature > MaxTemperatureC)
            {
                errors.Add(Field(i, "temperatureC"), $"must be between {MinTemperatureC} and {MaxTemperatureC} °C");
            }

            if (item.HumidityPct is { } humidity && (!double.IsFinite(humidity) || humidity < 0 || humidity > 100))
            {
                errors.Add(Field(i, "humidityPct"), "must be between 0 and 100 %");
            }

            var sensor = string.IsNullOrEmpty(item.SensorId) ? Reading.ManualSensor : item.SensorId;
            if (string.Equals(sensor, lastSensor, StringComparison.Ordinal))
            {
                // One instance per run of the same sensor, so the store binds it once.
                sensor = lastSensor!;
            }
            else if (!ResourceId.IsValid(sensor))
            {
                errors.Add(Field(i, "sensorId"), ResourceId.Rule);
            }
            else
            {
                lastSensor = sensor;
            }

            if (errors.IsEmpty)
            {
                readings.Add(new Reading(at!.Value.ToUniversalTime(), item.TemperatureC!.Value, item.HumidityPct, sensor));
            }
        }

        return errors.IsEmpty ? readings : null;
    }

    /// <summary>An ISO 8601 timestamp that states its offset (<c>Z</c> or <c>+08:00</c>); local times are ambiguous.</summary>
    public static DateTimeOffset? ParseTime(string field, string? text, FieldErrors errors)
    {
        var at = TryParseTime(text, out var problem);
        if (problem is not null)
        {
            errors.Add(field, problem);
        }

        return at;
    }

    private static DateTimeOffset? TryParseTime(string? text, out string? problem)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "is required";
            return null;
        }

        if (!HasOffset(text) || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at))
        {
            problem = "must be an ISO 8601 timestamp with an offset, such as 2026-03-10T21:30:00+08:00";
            return null;
        }

        problem = null;
        return at;
    }

    private static string Field(int index, string? name = null) =>
        name is null
            ? string.Create(CultureInfo.InvariantCulture, $"readings[{index}]")
            : string.Create(CultureInfo.InvariantCulture, $"readings[{index}].{name}");

    private static bool HasOffset(string text)
    {
        var t = text.Trim();
        if (t.EndsWith('Z') || t.EndsWith('z'))
        {
            return true;
        }

        var time = t.IndexOf('T', StringComparison.OrdinalIgnoreCase);
        return time > 0 && t.AsSpan(time).IndexOfAny('+', '-') > 0;
    }
}
