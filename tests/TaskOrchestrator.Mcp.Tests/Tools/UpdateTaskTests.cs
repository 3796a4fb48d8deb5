using Shouldly;
using TaskOrchestrator.Mcp.Tests.Harness;

namespace TaskOrchestrator.Mcp.Tests.Tools;

public sealed class UpdateTaskTests
{
    [Fact]
    public async Task UpdateTask_SeveralFields_ReportsEachChangeWithFromAndToAndBumpsVersionOnce()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Old title", priority = "low", estimated_effort = "1h" });
        server.Clock.Advance(TimeSpan.FromMinutes(5));

        var result = await server.OkAsync("orchestrator_update_task", new
        {
            task_id = id,
            expected_version = 1,
            title = "New title",
            priority = "high",
            specialist_type = "debugger",
            context = new { reason = "escalated" },
        });

        result.Int("version").ShouldBe(2);
        result.Int("task.version").ShouldBe(2);
        result.Str("task.title").ShouldBe("New title");
        result.Time("task.updated_at").ShouldBe(server.Clock.GetUtcNow());
        var changes = result.Items("changes_applied");
        changes.Select(c => c.Str("field")).ShouldBe(["title", "specialist_type", "priority", "context"]);
        changes[0].Str("from").ShouldBe("Old title");
        changes[0].Str("to").ShouldBe("New title");
        changes[1].Str("from").ShouldBe("generic");
        changes[1].Str("to").ShouldBe("debugger");
        changes[2].Str("from").ShouldBe("low");
        changes[2].Str("to").ShouldBe("high");
        changes[3].IsNull("from").ShouldBeTrue();
        changes[3].At("to").GetRawText().ShouldBe("""{"reason":"escalated"}""");
        StoreSnapshot.Value(server.DatabasePath, $"SELECT version || '|' || title || '|' || priority FROM task WHERE id = '{id}'").ShouldBe("2|New title|high");
        StoreSnapshot.Value(server.DatabasePath, $"SELECT count(*) FROM event WHERE task_id = '{id}' AND kind = 'task_updated'").ShouldBe("1");
    }

    [Fact]
    public async Task UpdateTask_ValuesAlreadyCurrent_ChangesNothingAndKeepsVersion()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Same", priority = "low" });
        var before = server.Snapshot();

        var answer = await server.CallAsync("orchestrator_update_task", new { task_id = id, title = "Same", priority = "low" });

        var result = answer.Ok();
        result.Items("changes_applied").ShouldBeEmpty();
        result.Int("version").ShouldBe(1);
        answer.Text.ShouldBe($"Task {id} unchanged (version 1): every value given was already current.");
        server.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task UpdateTask_StaleExpectedVersion_ReturnsVersionConflictWithCurrentVersion()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Contended" });
        await server.OkAsync("orchestrator_update_task", new { task_id = id, expected_version = 1, title = "First writer" });
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_update_task", new { task_id = id, expected_version = 1, title = "Second writer" });

        error.Str("code").ShouldBe("version_conflict");
        error.Str("field").ShouldBe("expected_version");
        error.Int("details.current_version").ShouldBe(2);
        error.Int("details.expected_version").ShouldBe(1);
        error.Str("details.task_id").ShouldBe(id);
        error.Strs("allowed").ShouldBe(["2"]);
        error.Str("message").ShouldBe($"Task '{id}' is at version 2, not the expected version 1: someone changed it since you read it.");
        server.Snapshot().ShouldBe(before);
        (await server.GetTaskAsync(id)).Str("title").ShouldBe("First writer");
    }

    [Fact]
    public async Task UpdateTask_BlockThenUnblock_MovesStatusWithReasonAndRecordsBothChanges()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Waits on vendor" });

        var blocked = await server.OkAsync("orchestrator_update_task", new { task_id = id, status = "blocked", status_reason = "vendor API down" });
        var unblocked = await server.OkAsync("orchestrator_update_task", new { task_id = id, status = "pending" });

        blocked.Str("task.status").ShouldBe("blocked");
        blocked.Str("task.status_reason").ShouldBe("vendor API down");
        blocked.Bool("task.ready").ShouldBeFalse();
        blocked.Items("changes_applied").Single().Str("field").ShouldBe("status");
        blocked.Str("changes_applied.0.from").ShouldBe("pending");
        blocked.Str("changes_applied.0.to").ShouldBe("blocked");
        unblocked.Str("task.status").ShouldBe("pending");
        unblocked.Bool("task.ready").ShouldBeTrue();
        unblocked.Str("changes_applied.0.from").ShouldBe("blocked");
        unblocked.Str("changes_applied.0.to").ShouldBe("pending");
        unblocked.Int("version").ShouldBe(3);
        StoreSnapshot.Value(server.DatabasePath, $"SELECT group_concat(from_state || '>' || to_state, ',') FROM (SELECT * FROM event WHERE task_id = '{id}' AND kind = 'status_changed' ORDER BY seq)").ShouldBe("pending>blocked,blocked>pending");
    }

    [Fact]
    public async Task UpdateTask_ReopenCompletedTaskAndRetitle_AppliesBothInOneVersion()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Done once" });
        await server.FinishAsync(id);
        var version = (await server.GetTaskAsync(id)).Int("version");

        var result = await server.OkAsync("orchestrator_update_task", new { task_id = id, status = "pending", title = "Do it again", status_reason = "regression found" });

        result.Str("task.status").ShouldBe("pending");
        result.Str("task.title").ShouldBe("Do it again");
        result.IsNull("task.completed_at").ShouldBeTrue();
        result.Int("version").ShouldBe(version + 1);
        result.Items("changes_applied").Select(c => c.Str("field")).ShouldBe(["status", "title"]);
    }

    [Fact]
    public async Task UpdateTask_FailWithoutReason_ReturnsMissingStatusReason()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Will fail" });
        await server.ExecuteAsync(id);
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_update_task", new { task_id = id, status = "failed" });

        error.Str("code").ShouldBe("missing_argument");
        error.Str("field").ShouldBe("status_reason");
        server.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task UpdateTask_AddAndRemoveDependencies_ReportsSortedBeforeAndAfterLists()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var a = await server.PlanIdAsync(new { title = "A" });
        var b = await server.PlanIdAsync(new { title = "B" });
        var c = await server.PlanIdAsync(new { title = "C" });
        var target = await server.PlanIdAsync(new { title = "Target", dependencies = new[] { a } });

        var result = await server.OkAsync("orchestrator_update_task", new { task_id = target, add_dependencies = new[] { b, c }, remove_dependencies = new[] { a } });

        var change = result.Items("changes_applied").Single();
        change.Str("field").ShouldBe("dependencies");
        change.Strs("from").ShouldBe([a]);
        change.Strs("to").ShouldBe(new[] { b, c }.Order(StringComparer.Ordinal).ToArray());
        result.Pluck("task.dependencies", "task_id").Order(StringComparer.Ordinal).ShouldBe(new[] { b, c }.Order(StringComparer.Ordinal).ToArray());
        result.Int("version").ShouldBe(2);
        StoreSnapshot.Value(server.DatabasePath, $"SELECT group_concat(depends_on_id) FROM (SELECT depends_on_id FROM dependency WHERE task_id = '{target}' ORDER BY depends_on_id)").ShouldBe(string.Join(",", new[] { b, c }.Order(StringComparer.Ordinal)));
        StoreSnapshot.Value(server.DatabasePath, $"SELECT count(*) FROM event WHERE task_id = '{target}' AND kind IN ('dependency_added', 'dependency_removed')").ShouldBe("3");
    }

    [Fact]
    public async Task UpdateTask_AddDependencyClosingACycle_ReturnsDependencyCycleNamingThePath()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var a = await server.PlanIdAsync(new { title = "A" });
        var b = await server.PlanIdAsync(new { title = "B", dependencies = new[] { a } });
        var c = await server.PlanIdAsync(new { title = "C", dependencies = new[] { b } });
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_update_task", new { task_id = a, add_dependencies = new[] { c } });

        error.Str("code").ShouldBe("dependency_cycle");
        error.Str("field").ShouldBe("add_dependencies[0]");
        error.Strs("details.cycle").ShouldBe([a, c, b, a]);
        error.Str("message").ShouldBe($"Adding '{a}' -> '{c}' would close a cycle: {a} -> {c} -> {b} -> {a}.");
        server.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task UpdateTask_ClearFields_EmptiesThemAndReportsTheOldValues()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var parent = await server.PlanIdAsync(new { title = "Parent" });
        var id = await server.PlanIdAsync(new { title = "Child", parent_task_id = parent, description = "desc", estimated_effort = "3h", due_date = "2026-12-24", context = new { k = 1 } });

        var result = await server.OkAsync("orchestrator_update_task", new { task_id = id, clear_fields = new[] { "description", "estimated_effort", "due_date", "context", "parent_task_id" } });

        result.Items("changes_applied").Select(c => c.Str("field")).ShouldBe(["description", "estimated_effort", "due_date", "context", "parent_task_id"]);
        result.Items("changes_applied").ShouldAllBe(c => c.IsNull("to"));
        result.Str("changes_applied.0.from").ShouldBe("desc");
        result.Str("changes_applied.1.from").ShouldBe("3h");
        DateTimeOffset.Parse(result.Str("changes_applied.2.from")!, System.Globalization.CultureInfo.InvariantCulture).ShouldBe(new DateTimeOffset(2026, 12, 24, 0, 0, 0, TimeSpan.Zero));
        result.At("changes_applied.3.from").GetRawText().ShouldBe("""{"k":1}""");
        result.Str("changes_applied.4.from").ShouldBe(parent);
        var task = result.At("task");
        task.IsNull("description").ShouldBeTrue();
        task.IsNull("estimated_effort").ShouldBeTrue();
        task.IsNull("due_date").ShouldBeTrue();
        task.IsNull("context").ShouldBeTrue();
        task.IsNull("parent_task_id").ShouldBeTrue();
        result.Int("version").ShouldBe(2);
    }

    [Fact]
    public async Task UpdateTask_MoveUnderNewParent_SetsParent()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var parent = await server.PlanIdAsync(new { title = "New parent" });
        var id = await server.PlanIdAsync(new { title = "Mover" });

        var result = await server.OkAsync("orchestrator_update_task", new { task_id = id, parent_task_id = parent });

        result.Str("task.parent_task_id").ShouldBe(parent);
        result.Str("changes_applied.0.field").ShouldBe("parent_task_id");
        result.IsNull("changes_applied.0.from").ShouldBeTrue();
        result.Str("changes_applied.0.to").ShouldBe(parent);
    }

    [Fact]
    public async Task UpdateTask_MoveUnderOwnDescendant_ReturnsDependencyCycle()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var plan = await server.PlanAsync(new { title = "Root", subtasks = new object[] { new { title = "Child" } } });
        var child = plan.Str("subtasks.0.task_id")!;
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_update_task", new { task_id = plan.Str("task_id"), parent_task_id = child });

        error.Str("code").ShouldBe("dependency_cycle");
        error.Str("field").ShouldBe("parent_task_id");
        server.Snapshot().ShouldBe(before);
    }

    [Theory]
    [InlineData("in_progress")]
    [InlineData("completed")]
    public async Task UpdateTask_StatusOnlyAnotherToolSets_ReturnsInvalidArgumentListingTheSettableStatuses(string status)
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Pending" });
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_update_task", new { task_id = id, status });

        error.Str("code").ShouldBe("invalid_argument");
        error.Str("field").ShouldBe("status");
        error.Strs("allowed").ShouldBe(["pending", "blocked", "failed", "cancelled", "archived"]);
        error.Str("message").ShouldBe($"'{status}' is not a valid value for 'status'.");
        server.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task UpdateTask_ArchivedTaskBackToPending_ReturnsIllegalTransitionWithNoAllowedMoves()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Put away" });
        await server.OkAsync("orchestrator_update_task", new { task_id = id, status = "archived" });
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_update_task", new { task_id = id, status = "pending" });

        error.Str("code").ShouldBe("illegal_transition");
        error.Str("field").ShouldBe("status");
        error.Strs("allowed").ShouldBeEmpty();
        error.Str("message").ShouldBe($"Task '{id}' is 'archived'; it cannot move to 'pending'. Allowed from 'archived': none: archived is final.");
        server.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task UpdateTask_EditCompletedTaskWithoutReopening_ReturnsIllegalTransition()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Finished" });
        await server.FinishAsync(id);
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_update_task", new { task_id = id, title = "Rewrite history" });

        error.Str("code").ShouldBe("illegal_transition");
        error.Str("field").ShouldBe("task_id");
        error.Str("message").ShouldBe($"Task '{id}' is 'completed', so its fields and dependencies can no longer be edited.");
        server.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task UpdateTask_CancelTaskWithOpenSubtasks_ReturnsHasChildren()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var plan = await server.PlanAsync(new { title = "Root", subtasks = new object[] { new { title = "Open child" } } });
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_update_task", new { task_id = plan.Str("task_id"), status = "cancelled" });

        error.Str("code").ShouldBe("has_children");
        error.Str("field").ShouldBe("status");
        server.Snapshot().ShouldBe(before);
    }
}
