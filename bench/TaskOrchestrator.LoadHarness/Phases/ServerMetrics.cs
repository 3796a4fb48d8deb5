using System.Text.Json;
using TaskOrchestrator.LoadHarness.Reporting;
using TaskOrchestrator.LoadHarness.Rpc;

namespace TaskOrchestrator.LoadHarness.Phases;

/// <summary>Reads the server's own per-tool latency figures from orchestrator_get_status.</summary>
internal static class ServerMetrics
{
    public static async Task<ServerToolStats?> ForToolAsync(StdioServer server, string tool, CancellationToken cancellationToken)
    {
        var line = await server.CallToolAsync("orchestrator_get_status", """{"include_performance_metrics":true}""", cancellationToken);
        var content = StdioServer.StructuredContent(line);
        if (!content.TryGetProperty("performance", out var performance) || performance.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var entry in performance.GetProperty("tools").EnumerateArray())
        {
            if (entry.GetProperty("tool").GetString() == tool)
            {
                return new ServerToolStats(
                    entry.GetProperty("calls").GetInt64(),
                    entry.GetProperty("p50_ms").GetDouble(),
                    entry.GetProperty("p95_ms").GetDouble(),
                    entry.GetProperty("p99_ms").GetDouble(),
                    entry.GetProperty("mean_ms").GetDouble());
            }
        }

        return null;
    }
}
