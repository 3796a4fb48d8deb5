using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Mcp.Operations;
using TaskOrchestrator.Mcp.Operations.Health;
using TaskOrchestrator.Mcp.Operations.Lifecycle;
using TaskOrchestrator.Mcp.Results;
using TaskOrchestrator.Mcp.Workspaces;

namespace TaskOrchestrator.Mcp.Tools;

/// <summary>Health and shutdown readiness of the server and its workspace.</summary>
[McpServerToolType]
public sealed class HealthTools
{
    private readonly ToolContextFactory _contexts;
    private readonly HealthReporter _reporter;
    private readonly ShutdownAssessor _shutdown;

    /// <summary>Creates the tools.</summary>
    public HealthTools(ToolContextFactory contexts, HealthReporter reporter, ShutdownAssessor shutdown)
    {
        _contexts = contexts;
        _reporter = reporter;
        _shutdown = shutdown;
    }

    /// <summary>orchestrator_health_check.</summary>
    [McpServerTool(Name = "orchestrator_health_check", Title = "Health check", UseStructuredContent = true, OutputSchemaType = typeof(HealthCheckResult), ReadOnly = true, OpenWorld = false)]
    [Description("Checks the server for real and reports healthy, degraded or critical with the reasons: the database opens, passes a quick integrity check and accepts a durable write (with its latency), migrations are current, write-ahead log size, free disk space, the connected clients with their last activity and calls in flight, tasks in progress with their holders, expired holds, process memory, uptime, restart count and the server version. Thresholds are set in the server's Health configuration.")]
    public async Task<CallToolResult> HealthCheck(
        McpServer server,
        RequestContext<CallToolRequestParams> request,
        [Description("Also assess whether a shutdown or restart is safe now (what orchestrator_shutdown_prepare reports).")] bool include_reboot_readiness = true,
        [Description("Also report the connected clients, their last activity and the calls in flight.")] bool include_connection_status = true,
        [Description("Also run the database checks: integrity, write probe, migrations, write-ahead log and free disk.")] bool include_database_status = true,
        CancellationToken cancellationToken = default)
    {
        var call = await _contexts.ForCallAsync(server, null, null, cancellationToken);
        var result = await _reporter.ReportAsync(call, SupervisorFactsReader.From(request), include_reboot_readiness, include_connection_status, include_database_status, cancellationToken);
        var failing = result.Checks.Count(c => c.Status != HealthStatus.Healthy);
        var text = $"Health: {WireNames.Of(result.Status)} ({result.Checks.Count} checks, {failing} not healthy); server {result.Server.Version}, {WireNames.Of(result.Server.Role)} {result.Server.InstanceId}."
            + (result.Reasons.Count == 0 ? string.Empty : "\n- " + string.Join("\n- ", result.Reasons));
        return ToolResults.Success(result, text);
    }

    /// <summary>orchestrator_shutdown_prepare.</summary>
    [McpServerTool(Name = "orchestrator_shutdown_prepare", Title = "Prepare for shutdown", UseStructuredContent = true, OutputSchemaType = typeof(ShutdownPrepareResult), ReadOnly = true, OpenWorld = false)]
    [Description("Tells whether the server can be shut down or restarted safely right now, listing what blocks it: calls in flight, tasks in progress and who holds them, an open write transaction or a write lock held by another process, a write-ahead log not yet checkpointed, a restart under way. Changes nothing.")]
    public async Task<CallToolResult> ShutdownPrepare(
        McpServer server,
        RequestContext<CallToolRequestParams> request,
        [Description("Check for tasks in progress and who holds them.")] bool check_active_tasks = true,
        [Description("Check for open write transactions, a write lock held elsewhere and an un-checkpointed write-ahead log.")] bool check_database_state = true,
        [Description("Check for client calls in flight.")] bool check_client_connections = true,
        CancellationToken cancellationToken = default)
    {
        var call = await _contexts.ForCallAsync(server, null, null, cancellationToken);
        var result = await _shutdown.AssessAsync(call.Workspace.Store, SupervisorFactsReader.From(request), check_active_tasks, check_database_state, check_client_connections, cancellationToken);
        var text = result.SafeToShutdown
            ? $"Safe to shut down ({string.Join(", ", result.ChecksRun)} checked)."
            : $"Not safe to shut down yet: {Text.Count(result.BlockingIssues.Count, "blocking issue")}.\n- " + string.Join("\n- ", result.BlockingIssues.Select(i => $"{i.Kind}: {i.Message}")) + $"\n{result.Recommendation}";
        return ToolResults.Success(result, text);
    }
}
