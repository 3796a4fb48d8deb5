namespace TaskOrchestrator.Mcp.Metrics.Slo;

/// <summary>One tool's overrides of the <see cref="SloOptions"/> defaults; unset values keep the defaults.</summary>
public sealed class ToolSloOptions
{
    /// <summary>Availability objective of this tool.</summary>
    public double? Availability { get; set; }

    /// <summary>Latency objective of this tool.</summary>
    public double? Latency { get; set; }

    /// <summary>Latency threshold of this tool.</summary>
    public TimeSpan? LatencyThreshold { get; set; }
}
