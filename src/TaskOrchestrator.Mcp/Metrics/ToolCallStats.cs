using System.ComponentModel;

namespace TaskOrchestrator.Mcp.Metrics;

/// <summary>The figures of one tool since the process started.</summary>
public sealed record ToolCallStats(
    [property: Description("Tool name.")] string Tool,
    [property: Description("Calls since the server process started.")] long Calls,
    [property: Description("Calls that returned a tool error.")] long Errors,
    [property: Description("Median latency in milliseconds, over the latest samples.")] double P50Ms,
    [property: Description("95th percentile latency in milliseconds.")] double P95Ms,
    [property: Description("99th percentile latency in milliseconds.")] double P99Ms,
    [property: Description("Mean latency in milliseconds.")] double MeanMs,
    [property: Description("How many of the latest calls the percentiles are computed over (at most 2048).")] int Samples);
