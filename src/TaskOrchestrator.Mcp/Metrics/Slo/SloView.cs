using System.ComponentModel;

namespace TaskOrchestrator.Mcp.Metrics.Slo;

/// <summary>The per-tool SLIs of this server process over the rolling window.</summary>
public sealed record SloView(
    [property: Description("The window's length in seconds (Slo:Window); it slides in steps of one sixtieth of that.")] double WindowSeconds,
    [property: Description("The tools called in this process, by name; a tool without calls in the window has zero events.")] IReadOnlyList<ToolSloView> Tools);
