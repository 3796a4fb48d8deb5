using System.Globalization;
using System.Text;

namespace TaskOrchestrator.Server.Http.Metrics;

/// <summary>
/// Renders collected metrics in the Prometheus text exposition format 0.0.4, with OpenTelemetry's
/// Prometheus naming: dots and other characters outside [a-zA-Z0-9_:] become underscores, the unit
/// becomes a suffix (<c>s</c> → <c>_seconds</c>, <c>ms</c> → <c>_milliseconds</c>, <c>By</c> →
/// <c>_bytes</c>, a <c>{annotation}</c> none), counters end in <c>_total</c>.
/// </summary>
internal static class PrometheusText
{
    /// <summary>The Content-Type of a scrape answer.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly Dictionary<string, string> UnitSuffixes = new(StringComparer.Ordinal)
    {
        ["s"] = "seconds",
        ["ms"] = "milliseconds",
        ["us"] = "microseconds",
        ["ns"] = "nanoseconds",
        ["min"] = "minutes",
        ["h"] = "hours",
        ["d"] = "days",
        ["By"] = "bytes",
        ["KiBy"] = "kibibytes",
        ["MiBy"] = "mebibytes",
        ["%"] = "percent",
    };

    public static string Render(IEnumerable<MetricFamily> families)
    {
        ArgumentNullException.ThrowIfNull(families);
        var text = new StringBuilder();
        foreach (var family in families)
        {
            Render(text, family);
        }

        return text.ToString();
    }

    /// <summary>The Prometheus name of a metric family (the name its sample names start with).</summary>
    public static string MetricName(MetricFamily family)
    {
        ArgumentNullException.ThrowIfNull(family);
        var name = Sanitize(family.Name, allowColon: true);
        var suffix = UnitSuffix(family.Unit, family.Kind);
        if (suffix.Length > 0 && !name.EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            name += "_" + suffix;
        }

        if (family.Kind == MetricKind.Counter && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }

        return name;
    }

    private static void Render(StringBuilder text, MetricFamily family)
    {
        var name = MetricName(family);
        if (!string.IsNullOrEmpty(family.Description))
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(family.Description)).Append('\n');
        }

        text.Append("# TYPE ").Append(name).Append(' ').Append(family.Kind switch
        {
            MetricKind.Counter => "counter",
            MetricKind.Histogram => "histogram",
            _ => "gauge",
        }).Append('\n');

        foreach (var point in family.Points)
        {
            if (family.Kind != MetricKind.Histogram)
            {
                Sample(text, name, point.Labels, null, Number(point.Value));
                continue;
            }

            long cumulative = 0;
            for (int i = 0; i < family.Boundaries.Count; i++)
            {
                cumulative += point.BucketCounts[i];
                Sample(text, name + "_bucket", point.Labels, Number(family.Boundaries[i]), Number(cumulative));
            }

            Sample(text, name + "_bucket", point.Labels, "+Inf", Number(point.Count));
            Sample(text, name + "_sum", point.Labels, null, Number(point.Value));
            Sample(text, name + "_count", point.Labels, null, Number(point.Count));
        }
    }

    private static void Sample(StringBuilder text, string name, IReadOnlyList<KeyValuePair<string, string>> labels, string? le, string value)
    {
        text.Append(name);
        if (labels.Count > 0 || le is not null)
        {
            text.Append('{');
            var first = true;
            foreach (var (label, labelValue) in labels)
            {
                text.Append(first ? string.Empty : ",").Append(Sanitize(label, allowColon: false)).Append("=\"").Append(EscapeLabel(labelValue)).Append('"');
                first = false;
            }

            if (le is not null)
            {
                text.Append(first ? string.Empty : ",").Append("le=\"").Append(le).Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(value).Append('\n');
    }

    private static string UnitSuffix(string? unit, MetricKind kind)
    {
        if (string.IsNullOrEmpty(unit) || unit.StartsWith('{'))
        {
            return string.Empty;
        }

        // "1" is a dimensionless ratio: Prometheus spells gauges of it "_ratio".
        if (unit == "1")
        {
            return kind == MetricKind.Gauge ? "ratio" : string.Empty;
        }

        return UnitSuffixes.TryGetValue(unit, out var suffix) ? suffix : Sanitize(unit, allowColon: false);
    }

    /// <summary>Characters outside [a-zA-Z0-9_] (and ':' in metric names) become '_'; a leading digit gets a '_' before it.</summary>
    private static string Sanitize(string name, bool allowColon)
    {
        var result = new StringBuilder(name.Length + 1);
        foreach (var c in name)
        {
            result.Append(char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':') ? c : '_');
        }

        if (result.Length == 0 || char.IsAsciiDigit(result[0]))
        {
            result.Insert(0, '_');
        }

        return result.ToString();
    }

    private static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeLabel(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
