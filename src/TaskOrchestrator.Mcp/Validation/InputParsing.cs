using System.Globalization;
using System.Text.Json;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;

namespace TaskOrchestrator.Mcp.Validation;

/// <summary>Parses argument values whose format the schema cannot express.</summary>
public static class InputParsing
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd"];

    /// <summary>
    /// A date or date-time in ISO 8601: <c>2026-12-01</c> (midnight UTC) or <c>2026-12-01T17:00:00Z</c> /
    /// with an offset. Null stays null.
    /// </summary>
    public static DateTimeOffset? Instant(string? text, string field)
    {
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
        {
            return date;
        }

        if (text.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            return Clock.Truncate(instant);
        }

        throw Fail.Invalid(field, $"'{text}' is not an ISO 8601 date or date-time.", "Use 2026-12-01, or 2026-12-01T17:00:00Z, or 2026-12-01T17:00:00+02:00.");
    }

    /// <summary>A JSON object argument as text; anything but an object is refused.</summary>
    public static string? JsonObject(JsonElement? value, string field)
    {
        if (value is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Fail.Invalid(field, $"'{field}' must be a JSON object, not {element.ValueKind.ToString().ToLowerInvariant()}.", "Pass an object such as {\"goal\": \"...\", \"constraints\": [...]}.");
        }

        return element.GetRawText();
    }

    /// <summary>An identifier argument: non-blank when given.</summary>
    public static string? Identifier(string? value, string field)
    {
        if (value is not null && string.IsNullOrWhiteSpace(value))
        {
            throw Fail.Missing(field, $"Omit '{field}' or pass a non-empty value.");
        }

        return value;
    }

    /// <summary>A required identifier argument.</summary>
    public static string RequiredIdentifier(string? value, string field, string hint) =>
        string.IsNullOrWhiteSpace(value) ? throw Fail.Missing(field, hint) : value;

    /// <summary>
    /// A duration: a number with a unit (<c>90s</c>, <c>30m</c>, <c>24h</c>, <c>7d</c>) or ISO 8601
    /// (<c>PT24H</c>), between <paramref name="min"/> and <paramref name="max"/>.
    /// </summary>
    public static TimeSpan Duration(string text, string field, TimeSpan min, TimeSpan max)
    {
        ArgumentNullException.ThrowIfNull(text);
        TimeSpan? value = null;
        var trimmed = text.Trim();
        if (trimmed.Length >= 2 && double.TryParse(trimmed[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount >= 0 && double.IsFinite(amount))
        {
            value = trimmed[^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(Math.Min(amount, 100_000)),
                _ => null,
            };
        }

        if (value is null && trimmed.StartsWith('P'))
        {
            try
            {
                value = System.Xml.XmlConvert.ToTimeSpan(trimmed);
            }
            catch (FormatException)
            {
            }
        }

        if (value is not { } duration)
        {
            throw Fail.Invalid(field, $"'{text}' is not a duration.", "Use a number with s, m, h or d (e.g. '24h', '7d'), or ISO 8601 such as 'PT24H'.");
        }

        if (duration < min || duration > max)
        {
            throw Fail.Invalid(field, $"'{text}' is outside the allowed range {min} to {max}.", "Pick a duration within the range.", [$"{min}..{max}"]);
        }

        return duration;
    }
}
