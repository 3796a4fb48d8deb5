using System.Globalization;

namespace TaskOrchestrator.Server.Headless;

/// <summary>Durations on the command line: a number with a unit, <c>500ms</c>, <c>10s</c>, <c>2m</c>, <c>1h</c>, or a plain number of seconds.</summary>
internal static class Durations
{
    private static readonly (string Suffix, double Seconds)[] Units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim().ToLowerInvariant();
        var (suffix, seconds) = Units.FirstOrDefault(u => text.EndsWith(u.Suffix, StringComparison.Ordinal) && (u.Suffix != "s" || !text.EndsWith("ms", StringComparison.Ordinal)));
        var number = suffix is null ? text : text[..^suffix.Length];
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || double.IsInfinity(value))
        {
            return false;
        }

        var total = value * (suffix is null ? 1 : seconds);
        if (total > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(total);
        return true;
    }

    public static string Format(TimeSpan duration) =>
        duration < TimeSpan.FromSeconds(1)
            ? string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0}ms")
            : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.#}s");
}
