using Shouldly;
using TaskOrchestrator.Mcp.Tests.Harness;

namespace TaskOrchestrator.Mcp.Tests.Tools;

public sealed class DeleteTaskTests
{
    [Fact]
    public async Task DeleteTask_LeafTask_DeletesItAndLogsTheDeletion()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var keep = await server.PlanIdAsync(new { title = "Keep" });
        var id = await server.PlanIdAsync(new { title = "Remove me" });

        var result = await server.OkAsync("orchestrator_delete_task", new { task_id = id });

        result.Str("action").ShouldBe("deleted");
        result.Str("task_id").ShouldBe(id);
        result.Strs("affected_task_ids").ShouldBe([id]);
        result.Items("unlinked_dependencies").ShouldBeEmpty();
        result.Int("artifacts_deleted").ShouldBe(0);
        StoreSnapshot.Value(server.DatabasePath, "SELECT group_concat(id) FROM task").ShouldBe(keep);
        StoreSnapshot.Value(server.DatabasePath, $"SELECT json_extract(data_json, '$.title') FROM event WHERE task_id = '{id}' AND kind = 'task_deleted'").ShouldBe("Remove me");
    }

    [Fact]
    public async Task DeleteTask_WithSubtasksWithoutForce_ReturnsHasChildrenAndDeletesNothing()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var plan = await server.PlanAsync(new { title = "Root", subtasks = new object[] { new { title = "A" }, new { title = "B" } } });
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_delete_task", new { task_id = plan.Str("task_id") });

        error.Str("code").ShouldBe("has_children");
        error.Str("field").ShouldBe("force");
        error.Strs("allowed").ShouldBe(["true"]);
        error.Strs("details.subtasks").ShouldBe(plan.Pluck("subtasks", "task_id"));
        error.Str("message").ShouldBe($"Task '{plan.Str("task_id")}' has 2 subtasks ({plan.Str("subtasks.0.task_id")}, {plan.Str("subtasks.1.task_id")}); it is not deleted without force.");
        server.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task DeleteTask_WithDependentsWithoutForce_ReturnsHasDependents()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Needed" });
        var dependent = await server.PlanIdAsync(new { title = "Needs it", dependencies = new[] { id } });
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_delete_task", new { task_id = id });

        error.Str("code").ShouldBe("has_dependents");
        error.Str("field").ShouldBe("force");
        error.Strs("details.dependents").ShouldBe([dependent]);
        server.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task DeleteTask_InProgressWithoutForce_ReturnsTaskHeld()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Busy" });
        await server.ExecuteAsync(id, "agent-7");
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_delete_task", new { task_id = id });

        error.Str("code").ShouldBe("task_held");
        error.Str("field").ShouldBe("force");
        error.Str("message").ShouldBe($"Task '{id}' is in progress by 'agent-7'; it is not deleted without force.");
        server.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task DeleteTask_ForceOnSubtreeWithDependentAndArtifacts_RemovesAllAndUnlinksTheDependent()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var plan = await server.PlanAsync(new
        {
            title = "Root",
            subtasks = new object[] { new { key = "a", title = "A", subtasks = new object[] { new { title = "A1" } } }, new { title = "B" } },
        });
        var root = plan.Str("task_id")!;
        var ids = plan.Pluck("subtasks", "task_id");
        await server.FinishAsync(ids[1], detailedWork: "work of A1");
        await server.FinishAsync(ids[2], detailedWork: "work of B");
        var outside = await server.PlanIdAsync(new { title = "Outside", dependencies = new[] { root, ids[2] } });
        var keeper = await server.PlanIdAsync(new { title = "Unrelated" });

        var result = await server.OkAsync("orchestrator_delete_task", new { task_id = root, force = true });

        result.Str("action").ShouldBe("deleted");
        result.Strs("affected_task_ids").ShouldBe([root, .. ids]);
        result.Int("artifacts_deleted").ShouldBe(2);
        var unlinked = result.Items("unlinked_dependencies");
        unlinked.Select(u => u.Str("task_id")).ShouldBe([outside, outside]);
        unlinked.Select(u => u.Str("depended_on")).Order(StringComparer.Ordinal).ShouldBe(new[] { root, ids[2] }.Order(StringComparer.Ordinal));
        StoreSnapshot.Value(server.DatabasePath, "SELECT group_concat(id) FROM (SELECT id FROM task ORDER BY seq)").ShouldBe($"{outside},{keeper}");
        StoreSnapshot.Value(server.DatabasePath, "SELECT count(*) FROM artifact").ShouldBe("0");
        StoreSnapshot.Value(server.DatabasePath, "SELECT count(*) FROM dependency").ShouldBe("0");
        var survivor = await server.GetTaskAsync(outside);
        survivor.Int("version").ShouldBe(2);
        survivor.Items("dependencies").ShouldBeEmpty();
        survivor.Bool("ready").ShouldBeTrue();
    }

    [Fact]
    public async Task DeleteTask_ArchiveInsteadWithDependent_ArchivesAndKeepsTheDependency()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "For the record" });
        var dependent = await server.PlanIdAsync(new { title = "Still depends", dependencies = new[] { id } });

        var result = await server.OkAsync("orchestrator_delete_task", new { task_id = id, archive_instead = true });

        result.Str("action").ShouldBe("archived");
        result.Strs("affected_task_ids").ShouldBe([id]);
        result.Items("unlinked_dependencies").ShouldBeEmpty();
        result.Int("artifacts_deleted").ShouldBe(0);
        (await server.GetTaskAsync(id)).Str("status").ShouldBe("archived");
        var waiting = await server.GetTaskAsync(dependent);
        waiting.Pluck("dependencies", "task_id").ShouldBe([id]);
        waiting.Bool("ready").ShouldBeFalse();
        StoreSnapshot.Value(server.DatabasePath, "SELECT count(*) FROM task").ShouldBe("2");
    }

    [Fact]
    public async Task DeleteTask_ArchiveInsteadOnSubtreeWithoutForce_ReturnsHasChildren()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var plan = await server.PlanAsync(new { title = "Root", subtasks = new object[] { new { title = "A" } } });
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_delete_task", new { task_id = plan.Str("task_id"), archive_instead = true });

        error.Str("code").ShouldBe("has_children");
        error.Str("message").ShouldBe($"Task '{plan.Str("task_id")}' has 1 subtasks ({plan.Str("subtasks.0.task_id")}); it is not archived without force.");
        server.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task DeleteTask_ArchiveInsteadWithForceOnSubtreeInProgress_ArchivesEveryTask()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var plan = await server.PlanAsync(new { title = "Root", subtasks = new object[] { new { title = "Busy" }, new { title = "Done" } } });
        var ids = plan.Pluck("subtasks", "task_id");
        await server.ExecuteAsync(ids[0], "agent-1");
        await server.FinishAsync(ids[1]);

        var result = await server.OkAsync("orchestrator_delete_task", new { task_id = plan.Str("task_id"), archive_instead = true, force = true });

        result.Str("action").ShouldBe("archived");
        result.Strs("affected_task_ids").ShouldBe([plan.Str("task_id")!, .. ids]);
        StoreSnapshot.Value(server.DatabasePath, "SELECT group_concat(DISTINCT status) FROM task").ShouldBe("archived");
        StoreSnapshot.Value(server.DatabasePath, $"SELECT assigned_agent IS NULL FROM task WHERE id = '{ids[0]}'").ShouldBe("1");
        StoreSnapshot.Value(server.DatabasePath, $"SELECT group_concat(from_state || '>' || to_state) FROM (SELECT * FROM event WHERE task_id = '{ids[0]}' AND kind = 'status_changed' ORDER BY seq)").ShouldBe("pending>in_progress,in_progress>pending,pending>archived");
    }

    [Fact]
    public async Task DeleteTask_UnknownId_ReturnsNotFound()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        await server.PlanIdAsync(new { title = "Exists" });
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_delete_task", new { task_id = "task_doesnotexist00" });

        error.Str("code").ShouldBe("not_found");
        error.Str("field").ShouldBe("task_id");
        error.Str("message").ShouldBe("No task with id 'task_doesnotexist00' exists in this workspace.");
        server.Snapshot().ShouldBe(before);
    }
}
