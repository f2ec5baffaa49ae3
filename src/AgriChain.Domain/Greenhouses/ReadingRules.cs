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

        var readings = new List<Reading>(raw.Count);
        for (var i = 0; i < raw.Count; i++)
        {
            var item = raw[i];
            var prefix = $"readings[{i}]";
            if (item is null)
            {
                errors.Add(prefix, "is required");
                continue;
            }

            var at = ParseTime($"{prefix}.at", item.At, errors);
            if (at is { } time && time > now + FutureTolerance)
            {
                errors.Add($"{prefix}.at", $"is more than {FutureTolerance.TotalMinutes:0} minutes in the future");
            }

            if (item.TemperatureC is not { } temperature)
            {
                errors.Add($"{prefix}.temperatureC", "is required");
            }
            else if (!double.IsFinite(temperature) || temperature < MinTemperatureC || temperature > MaxTemperatureC)
            {
                errors.Add($"{prefix}.temperatureC", $"must be between {MinTemperatureC} and {MaxTemperatureC} °C");
            }

            if (item.HumidityPct is { } humidity && (!double.IsFinite(humidity) || humidity < 0 || humidity > 100))
            {
                errors.Add($"{prefix}.humidityPct", "must be between 0 and 100 %");
            }

            var sensor = string.IsNullOrEmpty(item.SensorId) ? Reading.ManualSensor : item.SensorId;
            errors.OptionalId($"{prefix}.sensorId", sensor);
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
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(field, "is required");
            return null;
        }

        if (!HasOffset(text) || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at))
        {
            errors.Add(field, "must be an ISO 8601 timestamp with an offset, such as 2026-03-10T21:30:00+08:00");
            return null;
        }

        return at;
    }

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
