using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Mcp;
using TaskOrchestrator.Mcp.Operations.Health;
using TaskOrchestrator.Mcp.Operations.Instances;
using TaskOrchestrator.Mcp.Operations.Lifecycle;
using TaskOrchestrator.Server.Operations;

namespace TaskOrchestrator.Server.Http.Health;

/// <summary>
/// <c>/health</c>: liveness, 200 while the process serves requests at all. <c>/ready</c>: readiness,
/// 200 once the host has started and while the background health monitor's latest pass found nothing
/// critical and no shutdown is under way, else 503 with the reasons, so that a load balancer sends
/// work elsewhere.
/// </summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(McpPaths.Health, LivenessAsync);
        endpoints.MapGet(McpPaths.Ready, ReadinessAsync);
        return endpoints;
    }

    private static Task LivenessAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var identity = services.GetRequiredService<InstanceIdentity>();
        var started = services.GetRequiredService<IOptions<OrchestratorOptions>>().Value.StartedAt;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        return WriteAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["status"] = "alive",
            ["version"] = identity.Version,
            ["instance_id"] = identity.InstanceId,
            ["started_at"] = started,
            ["uptime_seconds"] = Math.Round((now - started).TotalSeconds, 3),
        });
    }

    private static Task ReadinessAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var monitorEnabled = services.GetRequiredService<IOptions<HealthOptions>>().Value.MonitorEnabled;
        var latest = services.GetRequiredService<HealthMonitor>().Latest;
        var reasons = new List<string>();
        if (!services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.IsCancellationRequested)
        {
            reasons.Add("The server is still starting.");
        }

        if (services.GetRequiredService<WorkerLifecycle>().IsShuttingDown)
        {
            reasons.Add("The server is shutting down.");
        }

        if (latest is { Worst: HealthStatus.Critical })
        {
            reasons.AddRange(latest.Problems);
        }

        var ready = reasons.Count == 0;
        return WriteAsync(context, ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, new JsonObject
        {
            ["status"] = ready ? "ready" : "not_ready",
            ["health"] = latest is null ? (monitorEnabled ? "not_checked_yet" : "monitor_disabled") : WireNames.Of(latest.Worst),
            ["checked_at"] = latest?.At,
            ["problems"] = new JsonArray([.. (latest?.Problems ?? []).Select(p => (JsonNode)p)]),
            ["reasons"] = new JsonArray([.. reasons.Select(r => (JsonNode)r)]),
        });
    }

    private static Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
