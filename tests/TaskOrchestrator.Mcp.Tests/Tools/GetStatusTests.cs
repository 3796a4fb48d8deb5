using Shouldly;
using TaskOrchestrator.Mcp.Tests.Harness;

namespace TaskOrchestrator.Mcp.Tests.Tools;

public sealed class GetStatusTests
{
    [Fact]
    public async Task GetStatus_Workspace_CountsListsBlockedWithReasonsAndWaitingWithWhatTheyWaitFor()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var design = await server.PlanIdAsync(new { title = "Design", task_type = "research" });
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        var build = await server.PlanIdAsync(new { title = "Build", task_type = "implementation", dependencies = new[] { design } });
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        var stuck = await server.PlanIdAsync(new { title = "Stuck" });
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        var busy = await server.PlanIdAsync(new { title = "Busy", priority = "high" });
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        var done = await server.PlanIdAsync(new { title = "Done" });
        await server.OkAsync("orchestrator_update_task", new { task_id = stuck, status = "blocked", status_reason = "needs a decision" });
        await server.ExecuteAsync(busy, "agent-9");
        await server.FinishAsync(done);

        var answer = await server.CallAsync("orchestrator_get_status", new { include_completed = true });

        var result = answer.Ok();
        result.Int("total_tasks").ShouldBe(5);
        result.Int("counts_by_status.pending").ShouldBe(2);
        result.Int("counts_by_status.blocked").ShouldBe(1);
        result.Int("counts_by_status.in_progress").ShouldBe(1);
        result.Int("counts_by_status.completed").ShouldBe(1);
        result.Int("counts_by_status.archived").ShouldBe(0);
        result.Int("counts_by_specialist.researcher.pending").ShouldBe(1);
        result.Int("counts_by_specialist.implementer.pending").ShouldBe(1);
        result.Int("counts_by_specialist.generic.blocked").ShouldBe(1);
        result.Int("counts_by_specialist.generic.in_progress").ShouldBe(1);
        result.Int("counts_by_specialist.generic.completed").ShouldBe(1);
        result.Pluck("active", "task.task_id").ShouldBe([busy]);
        result.Str("active.0.assigned_agent").ShouldBe("agent-9");
        result.Int("active_total").ShouldBe(1);
        result.Pluck("ready", "task_id").ShouldBe([design]);
        result.Int("ready_total").ShouldBe(1);
        result.Pluck("blocked", "task.task_id").ShouldBe([stuck]);
        result.Str("blocked.0.reason").ShouldBe("needs a decision");
        result.Int("blocked_total").ShouldBe(1);
        result.Pluck("waiting", "task.task_id").ShouldBe([build]);
        result.Pluck("waiting.0.waiting_for", "task_id").ShouldBe([design]);
        result.Str("waiting.0.waiting_for.0.status").ShouldBe("pending");
        result.Int("waiting_total").ShouldBe(1);
        result.Pluck("recently_completed", "task_id").ShouldBe([done]);
        result.IsNull("performance").ShouldBeTrue();
        result.IsNull("resource_usage").ShouldBeTrue();
        result.IsNull("session_id").ShouldBeTrue();
        answer.Text.ShouldBe("5 tasks: 2 pending, 1 in_progress, 1 blocked, 1 completed. 1 in progress, 1 ready, 1 blocked, 1 waiting.");
    }

    [Fact]
    public async Task GetStatus_SessionId_LimitsTheReportToThatSession()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var one = (await server.InitializeAsync("one")).Str("session_id")!;
        var two = (await server.InitializeAsync("two")).Str("session_id")!;
        var mine = await server.PlanIdAsync(new { title = "Mine", session_id = one });
        await server.PlanIdAsync(new { title = "Theirs", session_id = two });

        var result = await server.OkAsync("orchestrator_get_status", new { session_id = one });

        result.Str("session_id").ShouldBe(one);
        result.Int("total_tasks").ShouldBe(1);
        result.Pluck("ready", "task_id").ShouldBe([mine]);
    }

    [Fact]
    public async Task GetStatus_IncludePerformanceMetrics_CountsTheCallsMadeByTool()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "One" });
        await server.PlanIdAsync(new { title = "Two" });
        await server.ErrorAsync("orchestrator_plan_task", new { title = "" });
        await server.OkAsync("orchestrator_query_tasks");
        await server.ExecuteAsync(id);

        var result = await server.OkAsync("orchestrator_get_status", new { include_performance_metrics = true });

        result.Time("performance.since").ShouldBe(server.Clock.GetUtcNow());
        result.Int("performance.total_calls").ShouldBe(5);
        result.Int("performance.total_errors").ShouldBe(1);
        var tools = result.Items("performance.tools");
        tools.Select(t => t.Str("tool")).ShouldBe(["orchestrator_plan_task", "orchestrator_execute_task", "orchestrator_query_tasks"]);
        tools.Select(t => t.Int("calls")).ShouldBe([3L, 1L, 1L]);
        tools.Select(t => t.Int("errors")).ShouldBe([1L, 0L, 0L]);
        tools.Select(t => t.Int("samples")).ShouldBe([3L, 1L, 1L]);
        tools.ShouldAllBe(t => t.Num("p50_ms") > 0 && t.Num("p50_ms") <= t.Num("p95_ms") && t.Num("p95_ms") <= t.Num("p99_ms") && t.Num("mean_ms") > 0);
    }

    [Fact]
    public async Task GetStatus_IncludeResourceUsage_ReportsMemoryDatabaseArtifactsAndUptime()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Produces" });
        await server.FinishAsync(id, "s", "twelve chars");
        server.Clock.Advance(TimeSpan.FromSeconds(90));

        var result = await server.OkAsync("orchestrator_get_status", new { include_resource_usage = true });

        var usage = result.At("resource_usage");
        usage.Int("working_set_bytes").ShouldBeGreaterThan(0);
        usage.Int("peak_working_set_bytes").ShouldBeGreaterThanOrEqualTo(usage.Int("working_set_bytes"));
        usage.Int("gc_heap_bytes").ShouldBeGreaterThan(0);
        usage.Int("database_bytes").ShouldBeGreaterThan(0);
        usage.Int("wal_bytes").ShouldBeGreaterThanOrEqualTo(0);
        usage.Int("artifact_count").ShouldBe(1);
        usage.Int("artifact_content_chars").ShouldBe(12);
        usage.Num("uptime_seconds").ShouldBe(90);
        usage.Int("schema_version").ShouldBe(6);
    }

    [Fact]
    public async Task GetStatus_Called_ChangesNothing()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        await server.PlanIdAsync(new { title = "A" });
        var before = server.Snapshot();

        await server.OkAsync("orchestrator_get_status", new { include_completed = true, include_performance_metrics = true, include_resource_usage = true });

        server.Snapshot().ShouldBe(before);
    }
}
