using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using TaskOrchestrator.Server.Http.Metrics;

namespace TaskOrchestrator.Server.Tests.Http.Metrics;

/// <summary>GET /metrics over a real socket, after real tool calls.</summary>
public sealed class MetricsEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetMetrics_AfterToolCalls_PrometheusTextWithTheCountsTasksAndSlo()
    {
        await using var host = await MetricsHost.StartAsync(null, Ct);
        await host.CallAsync("orchestrator_plan_task", new { title = "One" });
        await host.CallAsync("orchestrator_plan_task", new { title = "Two" });
        await host.CallAsync("orchestrator_plan_task", new { title = "" });
        await host.CallAsync("orchestrator_claim_next_task", new { agent_id = "agent-1" });
        await host.App.Services.GetRequiredService<StoreGauges>().RefreshAsync(Ct);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldBe("text/plain; version=0.0.4; charset=utf-8");
        var lines = text.Split('\n');
        lines.ShouldContain("# TYPE orchestrator_tool_calls_total counter");
        lines.ShouldContain("orchestrator_tool_calls_total{outcome=\"success\",tool=\"orchestrator_plan_task\"} 2");
        lines.ShouldContain("orchestrator_tool_calls_total{outcome=\"client_error\",tool=\"orchestrator_plan_task\"} 1");
        lines.ShouldContain("orchestrator_tool_calls_total{outcome=\"success\",tool=\"orchestrator_claim_next_task\"} 1");
        lines.ShouldContain("# TYPE orchestrator_tool_duration_seconds histogram");
        lines.ShouldContain("orchestrator_tool_duration_seconds_bucket{outcome=\"success\",tool=\"orchestrator_plan_task\",le=\"+Inf\"} 2");
        lines.ShouldContain("orchestrator_tool_duration_seconds_count{outcome=\"success\",tool=\"orchestrator_plan_task\"} 2");
        lines.Count(l => l.StartsWith("orchestrator_tool_duration_seconds_bucket{outcome=\"success\",tool=\"orchestrator_plan_task\",", StringComparison.Ordinal)).ShouldBe(15);
        lines.ShouldContain($"orchestrator_task_claims_total{{workspace=\"{host.Workspace}\"}} 1");
        lines.ShouldContain($"orchestrator_tasks{{status=\"in_progress\",workspace=\"{host.Workspace}\"}} 1");
        lines.ShouldContain($"orchestrator_tasks{{status=\"pending\",workspace=\"{host.Workspace}\"}} 1");
        lines.ShouldContain($"orchestrator_restarts_total{{workspace=\"{host.Workspace}\"}} 0");
        lines.ShouldContain("orchestrator_slo_error_budget_remaining_ratio{sli=\"availability\",tool=\"orchestrator_plan_task\"} 1");
        lines.ShouldContain("# TYPE orchestrator_slo_burn_rate gauge");
        lines.ShouldContain("# TYPE orchestrator_lease_expirations_total counter");
    }
}
