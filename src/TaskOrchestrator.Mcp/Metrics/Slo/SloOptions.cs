namespace TaskOrchestrator.Mcp.Metrics.Slo;

/// <summary>
/// Service level objectives per tool, judged over a rolling window in this process (section <c>Slo</c>).
/// Objectives are fractions: 0.999 means 99.9 %.
/// </summary>
public sealed class SloOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Slo";

    /// <summary>How far back the SLIs look. It slides in steps of one sixtieth of its length.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Share of calls that must not fail for a server-side reason (caller mistakes do not count).</summary>
    public double Availability { get; set; } = 0.999;

    /// <summary>Share of served calls that must finish within their tool's latency threshold.</summary>
    public double Latency { get; set; } = 0.99;

    /// <summary>Latency threshold of read-only tools.</summary>
    public TimeSpan ReadLatencyThreshold { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Latency threshold of tools that write (each write waits for an fsync'd commit).</summary>
    public TimeSpan WriteLatencyThreshold { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Per-tool overrides by tool name. The defaults give the two tools that walk a whole subtree or
    /// workspace more time.
    /// </summary>
    public Dictionary<string, ToolSloOptions> Tools { get; } = new(StringComparer.Ordinal)
    {
        ["orchestrator_synthesize_results"] = new() { LatencyThreshold = TimeSpan.FromMilliseconds(250) },
        ["orchestrator_maintenance_coordinator"] = new() { LatencyThreshold = TimeSpan.FromMilliseconds(500) },
    };

    /// <summary>The objectives of <paramref name="tool"/>: its override where set, the defaults otherwise.</summary>
    public ToolObjectives For(string tool, bool readOnly)
    {
        Tools.TryGetValue(tool, out var own);
        return new ToolObjectives(
            own?.Availability ?? Availability,
            own?.Latency ?? Latency,
            own?.LatencyThreshold ?? (readOnly ? ReadLatencyThreshold : WriteLatencyThreshold));
    }
}
