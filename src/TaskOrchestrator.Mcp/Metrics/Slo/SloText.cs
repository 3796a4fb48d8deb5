using System.Globalization;

namespace TaskOrchestrator.Mcp.Metrics.Slo;

/// <summary>The short text rendering of an <see cref="SloView"/>: the window, and the tools off their objectives.</summary>
public static class SloText
{
    /// <summary>One or two sentences: how many tools meet their objectives, and each SLI that does not.</summary>
    public static string Summarize(SloView slo)
    {
        ArgumentNullException.ThrowIfNull(slo);
        var window = TimeSpan.FromSeconds(slo.WindowSeconds);
        var span = window.TotalHours >= 1 && window.TotalHours == Math.Floor(window.TotalHours)
            ? string.Create(CultureInfo.InvariantCulture, $"{window.TotalHours:0} h")
            : string.Create(CultureInfo.InvariantCulture, $"{window.TotalMinutes:0.#} min");
        var missed = slo.Tools
            .SelectMany(t => new[] { (t.Tool, Name: "availability", Sli: t.Availability), (t.Tool, Name: "latency", Sli: t.Latency) })
            .Where(s => !s.Sli.Met)
            .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Tool} {s.Name} {s.Sli.Ratio * 100:0.##}% < {s.Sli.Objective * 100:0.##}% (budget {s.Sli.ErrorBudgetRemaining * 100:0.#}%)"))
            .ToList();
        var head = string.Create(CultureInfo.InvariantCulture, $"SLOs over the last {span}: {slo.Tools.Count - slo.Tools.Count(t => !t.Availability.Met || !t.Latency.Met)} of {slo.Tools.Count} tools meet their objectives");
        return missed.Count == 0 ? head + "." : $"{head}; missed: {string.Join("; ", missed)}.";
    }
}
