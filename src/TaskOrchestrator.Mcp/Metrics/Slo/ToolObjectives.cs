namespace TaskOrchestrator.Mcp.Metrics.Slo;

/// <summary>The objectives one tool is judged by.</summary>
/// <param name="Availability">Share of calls that must not fail server-side.</param>
/// <param name="Latency">Share of served calls that must finish within <paramref name="LatencyThreshold"/>.</param>
/// <param name="LatencyThreshold">The latency a served call must not exceed to count as good.</param>
public sealed record ToolObjectives(double Availability, double Latency, TimeSpan LatencyThreshold);
