using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using TaskOrchestrator.Mcp.Metrics.Slo;
using TaskOrchestrator.Mcp.Operations.Lifecycle;
using TaskOrchestrator.Mcp.Tests.Harness;
using TaskOrchestrator.Server.Http.Metrics;

namespace TaskOrchestrator.Mcp.Tests.Metrics;

/// <summary>What the orchestrator's meter counts when real tool calls go through a real MCP client and server.</summary>
public sealed class ToolMetricsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // A server whose metrics are scraped, as over HTTP: only then does the collector listen from the start.
    private static Task<OrchestratorServer> StartScrapedAsync() => OrchestratorServer.StartAsync(services => services.AddOrchestratorMetricsScrape(), Ct);

    [Fact]
    public async Task ToolCalls_SuccessClientAndServerErrors_CountedByToolAndOutcomeWithOneHistogramValueEach()
    {
        await using var server = await StartScrapedAsync();
        var id = await server.PlanIdAsync(new { title = "One" });
        await server.PlanIdAsync(new { title = "Two" });
        await server.ErrorAsync("orchestrator_plan_task", new { title = "" });
        await server.ErrorAsync("orchestrator_execute_task", new { task_id = "no-such-task" });
        await server.OkAsync("orchestrator_query_tasks");
        await server.ExecuteAsync(id);
        server.Services.GetRequiredService<WorkerLifecycle>().BeginShutdown();
        (await server.ErrorAsync("orchestrator_query_tasks")).Str("code").ShouldBe("server_shutting_down");

        var families = server.Services.GetRequiredService<MetricsCollector>().Collect();

        var calls = families.Single(f => f.Name == "orchestrator.tool.calls");
        calls.Kind.ShouldBe(MetricKind.Counter);
        calls.Unit.ShouldBe("{call}");
        Series(calls).ShouldBe(
        [
            "client_error|orchestrator_execute_task=1",
            "client_error|orchestrator_plan_task=1",
            "server_error|orchestrator_query_tasks=1",
            "success|orchestrator_execute_task=1",
            "success|orchestrator_plan_task=2",
            "success|orchestrator_query_tasks=1",
        ]);
        var duration = families.Single(f => f.Name == "orchestrator.tool.duration");
        duration.Kind.ShouldBe(MetricKind.Histogram);
        duration.Unit.ShouldBe("s");
        duration.Boundaries.ShouldBe([0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
        duration.Points.Select(p => $"{string.Join("|", p.Labels.Select(l => l.Value))}={p.Count}").ShouldBe(Series(calls));
        duration.Points.ShouldAllBe(p => p.BucketCounts.Sum() == p.Count && p.Value > 0);
    }

    [Fact]
    public async Task Claims_AndALeaseThatRunsOut_CountedOnceCommitted()
    {
        await using var server = await StartScrapedAsync();
        await server.PlanIdAsync(new { title = "Contested" });
        await server.PlanIdAsync(new { title = "Other" });
        await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "slow-agent", lease_seconds = 30 });
        server.Clock.Advance(TimeSpan.FromSeconds(31));
        await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "fast-agent" });
        await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "third-agent" });
        (await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "idle-agent" })).IsNull("execution").ShouldBeTrue();

        var families = server.Services.GetRequiredService<MetricsCollector>().Collect();

        var workspace = families.Single(f => f.Name == "orchestrator.task.claims").Points.Single().Labels.Single();
        workspace.Key.ShouldBe("workspace");
        workspace.Value.ShouldBe(server.Workspace);
        families.Single(f => f.Name == "orchestrator.task.claims").Points.Single().Value.ShouldBe(3);
        families.Single(f => f.Name == "orchestrator.lease.expirations").Points.Single().Value.ShouldBe(1);
    }

    [Fact]
    public async Task StoreGauges_AfterARefresh_ReportTasksByStatusAndTheRestartHistory()
    {
        await using var server = await StartScrapedAsync();
        var done = await server.PlanIdAsync(new { title = "Done" });
        await server.PlanIdAsync(new { title = "Waiting" });
        await server.FinishAsync(done);

        await server.Services.GetRequiredService<StoreGauges>().RefreshAsync(Ct);
        var families = server.Services.GetRequiredService<MetricsCollector>().Collect();

        var tasks = families.Single(f => f.Name == "orchestrator.tasks");
        tasks.Kind.ShouldBe(MetricKind.Gauge);
        tasks.Points.Where(p => p.Value > 0).Select(p => $"{p.Labels[0].Value}={p.Value}").ShouldBe(["completed=1", "pending=1"]);
        tasks.Points.Count.ShouldBe(7);
        tasks.Points.ShouldAllBe(p => p.Labels[1].Key == "workspace" && p.Labels[1].Value == server.Workspace);
        var restarts = families.Single(f => f.Name == "orchestrator.restarts");
        restarts.Kind.ShouldBe(MetricKind.Counter);
        restarts.Points.Single().Value.ShouldBe(0);
    }

    [Fact]
    public async Task GetStatus_IncludeSlo_ReportsEachToolsSlisAgainstItsObjectives()
    {
        await using var server = await OrchestratorServer.StartAsync(
            services => services.PostConfigure<SloOptions>(o =>
            {
                // Latency is real wall-clock time: thresholds far above any call keep the test exact.
                o.ReadLatencyThreshold = TimeSpan.FromMinutes(1);
                o.WriteLatencyThreshold = TimeSpan.FromMinutes(2);
                o.Tools["orchestrator_plan_task"] = new ToolSloOptions { Availability = 0.5 };
            }),
            Ct);
        await server.PlanIdAsync(new { title = "One" });
        await server.ErrorAsync("orchestrator_plan_task", new { title = "" });
        await server.OkAsync("orchestrator_query_tasks");

        var answer = await server.CallAsync("orchestrator_get_status", new { include_slo = true });

        var slo = answer.Ok().At("slo");
        slo.Num("window_seconds").ShouldBe(3600);
        slo.Pluck("tools", "tool").ShouldBe(["orchestrator_plan_task", "orchestrator_query_tasks"]);
        var plan = slo.At("tools.0");
        plan.Num("latency_threshold_ms").ShouldBe(120_000);
        plan.Num("availability.objective").ShouldBe(0.5);
        plan.Int("availability.events").ShouldBe(2);
        plan.Int("availability.good").ShouldBe(2);
        plan.Int("availability.bad").ShouldBe(0);
        plan.Num("availability.ratio").ShouldBe(1);
        plan.Num("availability.error_budget_remaining").ShouldBe(1);
        plan.Num("availability.burn_rate").ShouldBe(0);
        plan.Bool("availability.met").ShouldBeTrue();
        plan.Num("latency.objective").ShouldBe(0.99);
        plan.Int("latency.events").ShouldBe(2);
        plan.Num("latency.ratio").ShouldBe(1);
        slo.Num("tools.1.latency_threshold_ms").ShouldBe(60_000);
        slo.Num("tools.1.availability.objective").ShouldBe(0.999);
        slo.Int("tools.1.availability.events").ShouldBe(1);
        answer.Text.ShouldEndWith(" SLOs over the last 1 h: 2 of 2 tools meet their objectives.");
    }

    [Fact]
    public async Task GetStatus_WithoutIncludeSlo_HasANullSloSection()
    {
        await using var server = await StartScrapedAsync();

        (await server.OkAsync("orchestrator_get_status")).IsNull("slo").ShouldBeTrue();
    }

    private static string[] Series(MetricFamily family) =>
        [.. family.Points.Select(p => $"{string.Join("|", p.Labels.Select(l => l.Value))}={p.Value}")];
}
