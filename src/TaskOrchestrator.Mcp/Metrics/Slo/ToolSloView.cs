using System.ComponentModel;

namespace TaskOrchestrator.Mcp.Metrics.Slo;

/// <summary>The SLIs of one tool over the window.</summary>
public sealed record ToolSloView(
    [property: Description("Tool name.")] string Tool,
    [property: Description("The latency a served call must not exceed to count as good, in milliseconds.")] double LatencyThresholdMs,
    [property: Description("Share of calls that did not fail for a server-side reason; refusals of bad input are good calls.")] SliView Availability,
    [property: Description("Share of served calls that finished within the threshold.")] SliView Latency);
