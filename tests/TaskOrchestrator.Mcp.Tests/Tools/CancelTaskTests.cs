using Shouldly;
using TaskOrchestrator.Mcp.Tests.Harness;

namespace TaskOrchestrator.Mcp.Tests.Tools;

public sealed class CancelTaskTests
{
    [Fact]
    public async Task CancelTask_PendingTaskWithDependent_CancelsItAndNamesTheStrandedDependent()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Abandon" });
        var dependent = await server.PlanIdAsync(new { title = "Waits for it", dependencies = new[] { id } });

        var result = await server.OkAsync("orchestrator_cancel_task", new { task_id = id, reason = "scope cut" });

        result.Str("task.status").ShouldBe("cancelled");
        result.Str("task.status_reason").ShouldBe("scope cut");
        result.Int("task.version").ShouldBe(2);
        result.Strs("cancelled_task_ids").ShouldBe([id]);
        result.Bool("preserved_work").ShouldBeTrue();
        result.Int("artifacts_discarded").ShouldBe(0);
        result.Pluck("affected_dependents", "task_id").ShouldBe([dependent]);
        result.Str("affected_dependents.0.status").ShouldBe("pending");
        StoreSnapshot.Value(server.DatabasePath, $"SELECT status || '|' || status_reason FROM task WHERE id = '{id}'").ShouldBe("cancelled|scope cut");
    }

    [Fact]
    public async Task CancelTask_WithoutReason_RecordsTheDefaultReason()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Abandon" });

        var result = await server.OkAsync("orchestrator_cancel_task", new { task_id = id });

        result.Str("task.status_reason").ShouldBe("cancelled");
    }

    [Fact]
    public async Task CancelTask_OpenSubtasksWithoutCascade_ReturnsHasChildrenAndCancelsNothing()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var plan = await server.PlanAsync(new { title = "Root", subtasks = new object[] { new { title = "Open" } } });
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_cancel_task", new { task_id = plan.Str("task_id") });

        error.Str("code").ShouldBe("has_children");
        error.Str("field").ShouldBe("cascade");
        error.Strs("allowed").ShouldBe(["true"]);
        error.Strs("details.open_subtasks").ShouldBe([plan.Str("subtasks.0.task_id")!]);
        server.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task CancelTask_Cascade_CancelsOpenDescendantsAndLeavesEndedOnesAlone()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var plan = await server.PlanAsync(new
        {
            title = "Root",
            subtasks = new object[]
            {
                new { title = "Done", },
                new { title = "Open", subtasks = new object[] { new { title = "Deep open" } } },
            },
        });
        var root = plan.Str("task_id")!;
        var ids = plan.Pluck("subtasks", "task_id");
        await server.FinishAsync(ids[0], detailedWork: "kept");

        var result = await server.OkAsync("orchestrator_cancel_task", new { task_id = root, cascade = true, reason = "dropped" });

        result.Strs("cancelled_task_ids").ShouldBe([root, ids[1], ids[2]]);
        result.Str("task.task_id").ShouldBe(root);
        (await server.GetTaskAsync(ids[0])).Str("status").ShouldBe("completed");
        (await server.GetTaskAsync(ids[2])).Str("status_reason").ShouldBe("dropped");
        StoreSnapshot.Value(server.DatabasePath, $"SELECT count(*) FROM event WHERE kind = 'status_changed' AND json_extract(data_json, '$.cascade_from') = '{root}'").ShouldBe("2");
        StoreSnapshot.Value(server.DatabasePath, "SELECT count(*) FROM artifact").ShouldBe("1");
    }

    [Fact]
    public async Task CancelTask_PreserveWorkFalse_DeletesTheArtifactsOfCancelledTasksOnly()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var plan = await server.PlanAsync(new { title = "Root", subtasks = new object[] { new { title = "Done" }, new { title = "Revised" } } });
        var root = plan.Str("task_id")!;
        var ids = plan.Pluck("subtasks", "task_id");
        await server.FinishAsync(ids[0], detailedWork: "finished work");
        await server.ExecuteAsync(ids[1]);
        await server.OkAsync("orchestrator_complete_task", new { task_id = ids[1], summary = "needs another pass", detailed_work = "draft", next_action = "needs_revision" });

        var result = await server.OkAsync("orchestrator_cancel_task", new { task_id = root, cascade = true, preserve_work = false });

        result.Bool("preserved_work").ShouldBeFalse();
        result.Int("artifacts_discarded").ShouldBe(1);
        result.Strs("cancelled_task_ids").ShouldBe([root, ids[1]]);
        StoreSnapshot.Value(server.DatabasePath, "SELECT group_concat(task_id) FROM artifact").ShouldBe(ids[0]);
        StoreSnapshot.Value(server.DatabasePath, $"SELECT json_extract(data_json, '$.count') FROM event WHERE kind = 'artifacts_discarded' AND task_id = '{root}'").ShouldBe("1");
    }

    [Fact]
    public async Task CancelTask_CompletedTask_ReturnsIllegalTransitionAndChangesNothing()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Already done" });
        await server.FinishAsync(id);
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_cancel_task", new { task_id = id });

        error.Str("code").ShouldBe("illegal_transition");
        error.Str("message").ShouldBe($"Task '{id}' is 'completed'; it cannot move to 'cancelled'. Allowed from 'completed': pending, archived.");
        error.Str("field").ShouldBe("task_id");
        error.IsNull("allowed").ShouldBeTrue();
        server.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task CancelTask_InProgressTask_ReleasesTheAgent()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Running" });
        await server.ExecuteAsync(id, "agent-1");

        var result = await server.OkAsync("orchestrator_cancel_task", new { task_id = id });

        result.Str("task.status").ShouldBe("cancelled");
        result.IsNull("task.assigned_agent").ShouldBeTrue();
    }

    [Fact]
    public async Task CancelTask_ReasonNull_IsTreatedAsAbsentAndRecordsTheDefaultReason()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Abandon" });

        var result = await server.OkAsync("orchestrator_cancel_task", """{"task_id":"ID","reason":null}""".Replace("ID", id, StringComparison.Ordinal));

        result.Str("task.status").ShouldBe("cancelled");
        result.Str("task.status_reason").ShouldBe("cancelled");
    }
}
