namespace AgriChain.Domain.Common;

/// <summary>
/// Collects validation failures keyed by the JSON path of the offending field (<c>readings[3].temperatureC</c>),
/// so that one response can name every bad field at once.
/// </summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public int Count => _errors.Count;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            messages = [];
            _errors[field] = messages;
        }

        messages.Add(message);
    }

    /// <summary>A required identifier in the <see cref="ResourceId"/> format.</summary>
    public string RequireId(string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            Add(field, "is required");
            return string.Empty;
        }

        if (!ResourceId.IsValid(value))
        {
            Add(field, ResourceId.Rule);
        }

        return value;
    }

    /// <summary>An optional identifier: null stays null, anything else must be well formed.</summary>
    public string? OptionalId(string field, string? value)
    {
        if (value is not null && !ResourceId.IsValid(value))
        {
            Add(field, ResourceId.Rule);
        }

        return value;
    }

    /// <summary>Required free text, trimmed, at most <paramref name="maxLength"/> characters.</summary>
    public string RequireText(string field, string? value, int maxLength = 200)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            Add(field, "is required");
            return string.Empty;
        }

        if (trimmed.Length > maxLength)
        {
            Add(field, $"must be at most {maxLength} characters");
        }

        if (trimmed.Any(char.IsControl))
        {
            Add(field, "must not contain control characters");
        }

        return trimmed;
    }

    /// <summary>Optional free text: blank becomes null.</summary>
    public string? OptionalText(string field, string? value, int maxLength = 200)
    {
        return string.IsNullOrWhiteSpace(value) ? null : RequireText(field, value, maxLength);
    }

    /// <summary>A required number greater than zero and at most <paramref name="max"/>.</summary>
    public decimal RequirePositive(string field, decimal? value, decimal max)
    {
        if (value is null)
        {
            Add(field, "is required");
            return 0;
        }

        if (value <= 0 || value > max)
        {
            Add(field, $"must be greater than 0 and at most {max}");
        }

        return value.Value;
    }

    /// <summary>The errors as the <c>errors</c> member of an RFC 9457 validation problem.</summary>
    public IDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
