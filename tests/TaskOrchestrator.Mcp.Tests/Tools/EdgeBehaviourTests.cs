using Shouldly;
using TaskOrchestrator.Mcp.Tests.Harness;

namespace TaskOrchestrator.Mcp.Tests.Tools;

/// <summary>Behaviours at the edges of the tools that a user would otherwise trip over.</summary>
public sealed class EdgeBehaviourTests
{
    [Fact]
    public async Task UpdateTask_EmptyDescription_ClearsIt()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Described", description = "old words", estimated_effort = "2h" });

        var result = await server.OkAsync("orchestrator_update_task", new { task_id = id, description = "", estimated_effort = "" });

        result.IsNull("task.description").ShouldBeTrue();
        result.IsNull("task.estimated_effort").ShouldBeTrue();
        result.Pluck("changes_applied", "field").ShouldBe(["description", "estimated_effort"]);
    }

    [Fact]
    public async Task CompleteTask_NeedsRevisionOnACompletedTask_IsRefusedAndDoesNotReopenIt()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Done once" });
        await server.FinishAsync(id);
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_complete_task", new { task_id = id, summary = "again", next_action = "needs_revision" });

        error.Str("code").ShouldBe("illegal_transition");
        error.Str("field").ShouldBe("task_id");
        error.Str("message").ShouldBe($"Task '{id}' is 'completed'; only a task in progress can be reported, so it cannot move to 'pending' this way.");
        error.Str("hint").ShouldBe("Reopen it first: orchestrator_update_task with status='pending'.");
        server.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task CancelTask_BlankReason_RecordsTheDefaultReason()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Dropped" });

        var result = await server.OkAsync("orchestrator_cancel_task", new { task_id = id, reason = "  " });

        result.Str("task.status_reason").ShouldBe("cancelled");
    }

    [Fact]
    public async Task CleanupSessions_OlderThanZeroDays_KeepsTheCallersOwnSession()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var own = (await server.InitializeAsync("mine")).Str("session_id")!;

        var result = await server.OkAsync("orchestrator_cleanup_sessions", new { cleanup_type = "all", older_than_days = 0 });
        var planned = await server.OkAsync("orchestrator_plan_task", new { title = "Still planning" });

        result.Items("sessions").ShouldBeEmpty();
        planned.Str("task.session_id").ShouldBe(own);
    }

    [Fact]
    public async Task MaintenanceCoordinator_TargetTaskWithDefaultScope_WorksOnThatSubtree()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var root = await server.PlanAsync(new { title = "Root", subtasks = new object[] { new { title = "Leaf" } } });
        await server.PlanIdAsync(new { title = "Elsewhere" });

        var result = await server.OkAsync("orchestrator_maintenance_coordinator", new { action = "validate_structure", target_task_id = root.Str("task_id") });

        result.Str("scope").ShouldBe("subtree");
        result.Int("validation.tasks_checked").ShouldBe(2);
    }

    [Fact]
    public async Task MaintenanceCoordinator_TargetTaskWithSessionScope_IsRefused()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        await server.InitializeAsync("mine");
        var id = await server.PlanIdAsync(new { title = "Root" });

        var error = await server.ErrorAsync("orchestrator_maintenance_coordinator", new { action = "scan_cleanup", scope = "session", target_task_id = id });

        error.Str("code").ShouldBe("invalid_argument");
        error.Str("field").ShouldBe("target_task_id");
    }
}
