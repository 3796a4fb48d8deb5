using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TaskOrchestrator.Mcp.Operations.Health;
using TaskOrchestrator.Mcp.Tools;

namespace TaskOrchestrator.Server.Http.Api;

/// <summary>
/// <c>GET /api/status</c>, <c>/api/sessions</c>, <c>/api/agents</c>, <c>/api/health</c> and
/// <c>/api/restarts</c>: each returns what its tool returns (orchestrator_get_status,
/// orchestrator_list_sessions, orchestrator_agent_status, orchestrator_health_check,
/// orchestrator_restart_status), built by the same code, with the tool's argument names as parameters.
/// </summary>
internal static class ReportEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/status", StatusAsync);
        api.MapGet("/sessions", SessionsAsync);
        api.MapGet("/agents", AgentsAsync);
        api.MapGet("/health", HealthAsync);
        api.MapGet("/restarts", RestartsAsync);
    }

    private static async Task<IResult> StatusAsync(HttpRequest request, ApiWorkspaces workspaces, ApiReports reports, CancellationToken cancellationToken)
    {
        var query = ApiQuery.Of(request, "session_id", "include_completed", "include_performance_metrics", "include_resource_usage", "include_slo");
        var sessionId = query.Text("session_id");
        var completed = query.Flag("include_completed");
        var performance = query.Flag("include_performance_metrics");
        var resources = query.Flag("include_resource_usage");
        var slo = query.Flag("include_slo");
        var call = await workspaces.ForRequestAsync(query.WorkspaceFolder, cancellationToken);
        return TypedResults.Json(await reports.Status.StatusAsync(call, sessionId, completed, performance, resources, slo, cancellationToken), ApiJson.Options);
    }

    private static async Task<IResult> SessionsAsync(HttpRequest request, ApiWorkspaces workspaces, CancellationToken cancellationToken)
    {
        var query = ApiQuery.Of(request, "status", "limit", "offset");
        var status = query.Enum("status", SessionFilter.All);
        var limit = query.Int("limit", 50);
        var offset = query.Int("offset", 0);
        var call = await workspaces.ForRequestAsync(query.WorkspaceFolder, cancellationToken);
        return TypedResults.Json(await SessionTools.ListAsync(call, status, limit, offset, cancellationToken), ApiJson.Options);
    }

    private static async Task<IResult> AgentsAsync(HttpRequest request, ApiWorkspaces workspaces, ApiReports reports, CancellationToken cancellationToken)
    {
        var query = ApiQuery.Of(request, "agent_id");
        var agentId = query.Text("agent_id");
        var call = await workspaces.ForRequestAsync(query.WorkspaceFolder, cancellationToken);
        return TypedResults.Json(await reports.Agents.StatusAsync(call, agentId, cancellationToken), ApiJson.Options);
    }

    private static async Task<IResult> HealthAsync(HttpRequest request, ApiWorkspaces workspaces, HealthReporter reporter, CancellationToken cancellationToken)
    {
        var query = ApiQuery.Of(request, "include_reboot_readiness", "include_connection_status", "include_database_status");
        var readiness = query.Flag("include_reboot_readiness", fallback: true);
        var connections = query.Flag("include_connection_status", fallback: true);
        var database = query.Flag("include_database_status", fallback: true);
        var call = await workspaces.ForRequestAsync(query.WorkspaceFolder, cancellationToken);

        // Over HTTP no supervisor stands between client and server, so there are no supervisor facts.
        return TypedResults.Json(await reporter.ReportAsync(call, null, readiness, connections, database, cancellationToken), ApiJson.Options);
    }

    private static async Task<IResult> RestartsAsync(HttpRequest request, ApiWorkspaces workspaces, ApiReports reports, CancellationToken cancellationToken)
    {
        var query = ApiQuery.Of(request, "include_history", "include_error_details");
        var history = query.Flag("include_history", fallback: true);
        var errors = query.Flag("include_error_details");
        var call = await workspaces.ForRequestAsync(query.WorkspaceFolder, cancellationToken);
        return TypedResults.Json(await reports.Restarts.StatusAsync(call, history, errors, cancellationToken), ApiJson.Options);
    }
}
