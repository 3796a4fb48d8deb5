using System.Security.Cryptography;
using System.Text;
using Shouldly;
using TaskOrchestrator.Mcp.Tests.Harness;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Mcp.Tests.Tools;

public sealed class CompleteTaskTests
{
    [Fact]
    public async Task CompleteTask_Continue_CompletesTheTaskAndStoresTheArtifact()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Implement" });
        var lease = (await server.ExecuteAsync(id, "agent-1")).Str("lease.lease_token");
        server.Clock.Advance(TimeSpan.FromMinutes(3));
        const string work = "public sealed class Exporter { }\n// ünïcode";

        var result = await server.OkAsync("orchestrator_complete_task", new { task_id = id, summary = "exporter written", detailed_work = work, next_action = "continue", artifact_type = "code", agent_id = "agent-1", lease_token = lease });

        result.Str("action").ShouldBe("continue");
        result.Str("task.status").ShouldBe("completed");
        result.Str("task.result_summary").ShouldBe("exporter written");
        result.Time("task.completed_at").ShouldBe(server.Clock.GetUtcNow());
        result.IsNull("task.assigned_agent").ShouldBeTrue();
        result.Int("task.version").ShouldBe(3);
        var artifact = result.At("artifact");
        artifact.Str("artifact_id")!.ShouldStartWith("art_");
        artifact.Str("task_id").ShouldBe(id);
        artifact.Str("artifact_type").ShouldBe("code");
        artifact.Str("summary").ShouldBe("exporter written");
        artifact.Str("content_hash").ShouldBe("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(work))));
        artifact.Int("content_length").ShouldBe(work.Length);
        artifact.Strs("file_paths").ShouldBeEmpty();
        artifact.Str("created_by").ShouldBe("agent-1");
        artifact.Time("created_at").ShouldBe(server.Clock.GetUtcNow());
        artifact.IsNull("content").ShouldBeTrue();
        result.Items("newly_ready_tasks").ShouldBeEmpty();
        result.IsNull("parent_progress").ShouldBeTrue();
        result.Str("next_steps").ShouldBe("Take the next ready task: orchestrator_query_tasks ready_only=true sort='priority'.");
        StoreSnapshot.Value(server.DatabasePath, $"SELECT content FROM artifact WHERE task_id = '{id}'").ShouldBe(work);
        StoreSnapshot.Value(server.DatabasePath, $"SELECT group_concat(kind) FROM (SELECT kind FROM event WHERE task_id = '{id}' ORDER BY seq)").ShouldBe("task_created,status_changed,artifact_stored,status_changed");
    }

    [Fact]
    public async Task CompleteTask_Complete_CompletesAndSaysThePartIsFinished()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Last step" });
        await server.ExecuteAsync(id);

        var result = await server.OkAsync("orchestrator_complete_task", new { task_id = id, summary = "all done", next_action = "complete" });

        result.Str("action").ShouldBe("complete");
        result.Str("task.status").ShouldBe("completed");
        result.Str("next_steps").ShouldBe("Your part is finished; check orchestrator_get_status for anything left.");
        result.Int("artifact.content_length").ShouldBe(0);
        result.Str("artifact.content_hash").ShouldBe("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    [Fact]
    public async Task CompleteTask_NeedsRevision_SendsTheTaskBackToPendingWithTheNote()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Draft" });
        var dependent = await server.PlanIdAsync(new { title = "After draft", dependencies = new[] { id } });
        var lease = (await server.ExecuteAsync(id, "agent-1")).Str("lease.lease_token");

        var result = await server.OkAsync("orchestrator_complete_task", new { task_id = id, summary = "tests missing", detailed_work = "first draft", next_action = "needs_revision", lease_token = lease });

        result.Str("action").ShouldBe("needs_revision");
        result.Str("task.status").ShouldBe("pending");
        result.Str("task.status_reason").ShouldBe("tests missing");
        result.IsNull("task.assigned_agent").ShouldBeTrue();
        result.IsNull("task.completed_at").ShouldBeTrue();
        result.Bool("task.ready").ShouldBeTrue();
        result.Items("newly_ready_tasks").ShouldBeEmpty();
        result.Str("next_steps").ShouldBe("The task is pending again with your note; it will be handed out again.");
        StoreSnapshot.Value(server.DatabasePath, "SELECT count(*) FROM artifact").ShouldBe("1");
        (await server.GetTaskAsync(dependent)).Bool("ready").ShouldBeFalse();
    }

    [Fact]
    public async Task CompleteTask_Blocked_BlocksTheTaskWithTheReason()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Deploy" });
        await server.ExecuteAsync(id);

        var result = await server.OkAsync("orchestrator_complete_task", new { task_id = id, summary = "no production credentials", next_action = "blocked" });

        result.Str("action").ShouldBe("blocked");
        result.Str("task.status").ShouldBe("blocked");
        result.Str("task.status_reason").ShouldBe("no production credentials");
        result.Str("next_steps").ShouldBe("Resolve the reason, then unblock it with orchestrator_update_task status='pending'.");
    }

    [Fact]
    public async Task CompleteTask_LastMissingDependency_ListsTheTasksThatBecameReady()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var first = await server.PlanIdAsync(new { title = "First" });
        var other = await server.PlanIdAsync(new { title = "Other" });
        var onlyFirst = await server.PlanIdAsync(new { title = "Needs first" });
        await server.OkAsync("orchestrator_update_task", new { task_id = onlyFirst, add_dependencies = new[] { first } });
        await server.PlanIdAsync(new { title = "Needs both", dependencies = new[] { first, other } });
        server.Clock.Advance(TimeSpan.FromSeconds(1)); // newly ready tasks are listed in hand-out order: priority first, then age
        var alsoFirst = await server.PlanIdAsync(new { title = "Also needs first", dependencies = new[] { first }, priority = "high" });
        await server.ExecuteAsync(first);

        var result = await server.OkAsync("orchestrator_complete_task", new { task_id = first, summary = "done" });

        result.Pluck("newly_ready_tasks", "task_id").ShouldBe([alsoFirst, onlyFirst]);
        result.Str("newly_ready_tasks.0.priority").ShouldBe("high");
        result.Str("next_steps").ShouldBe($"Now ready: {alsoFirst} 'Also needs first', {onlyFirst} 'Needs first'. Take the next ready task: orchestrator_query_tasks ready_only=true sort='priority'.");
    }

    [Fact]
    public async Task CompleteTask_Subtasks_ReportTheParentsProgressUntilAllHaveEnded()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var plan = await server.PlanAsync(new { title = "Epic", subtasks = new object[] { new { title = "One" }, new { title = "Two" }, new { title = "Three" } } });
        var root = plan.Str("task_id")!;
        var ids = plan.Pluck("subtasks", "task_id");
        await server.OkAsync("orchestrator_cancel_task", new { task_id = ids[2] });

        var half = await server.FinishAsync(ids[0]);
        var all = await server.FinishAsync(ids[1]);

        half.Str("parent_progress.parent_task_id").ShouldBe(root);
        half.Str("parent_progress.title").ShouldBe("Epic");
        half.Int("parent_progress.total_subtasks").ShouldBe(3);
        half.Int("parent_progress.completed_subtasks").ShouldBe(1);
        half.Int("parent_progress.ended_subtasks").ShouldBe(2);
        half.Int("parent_progress.percent_complete").ShouldBe(33);
        half.Bool("parent_progress.all_subtasks_ended").ShouldBeFalse();
        half.Str("next_steps").ShouldBe($"Parent {root} is 33% complete (1/3). Take the next ready task: orchestrator_query_tasks ready_only=true sort='priority'.");
        all.Int("parent_progress.completed_subtasks").ShouldBe(2);
        all.Int("parent_progress.ended_subtasks").ShouldBe(3);
        all.Bool("parent_progress.all_subtasks_ended").ShouldBeTrue();
        all.Str("next_steps")!.ShouldStartWith($"Every subtask of {root} 'Epic' has ended: synthesize with orchestrator_synthesize_results, then complete the parent.");
    }

    [Fact]
    public async Task CompleteTask_FilePaths_AreStoredWorkspaceRelativeWithoutDuplicates()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        Directory.CreateDirectory(Path.Combine(server.Workspace, "src"));
        Directory.CreateDirectory(Path.Combine(server.Workspace, "docs"));
        await File.WriteAllTextAsync(Path.Combine(server.Workspace, "src", "a.cs"), "class A { }", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(server.Workspace, "docs", "b.md"), "# B", TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Touch files" });
        await server.ExecuteAsync(id);

        var result = await server.OkAsync("orchestrator_complete_task", new
        {
            task_id = id,
            summary = "files written",
            file_paths = new[] { "src/a.cs", Path.Combine(server.Workspace, "docs", "b.md"), "./src/../src/a.cs", "docs" },
        });

        result.Strs("artifact.file_paths").ShouldBe(["src/a.cs", "docs/b.md", "docs"]);
        StoreSnapshot.Value(server.DatabasePath, $"SELECT file_paths_json FROM artifact WHERE task_id = '{id}'").ShouldBe("""["src/a.cs","docs/b.md","docs"]""");
    }

    [Fact]
    public async Task CompleteTask_SymlinkInsideWorkspaceToAFileInside_IsStoredByItsTarget()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(server.Workspace, "real.txt"), "x", TestContext.Current.CancellationToken);
        File.CreateSymbolicLink(Path.Combine(server.Workspace, "alias.txt"), Path.Combine(server.Workspace, "real.txt"));
        var id = await server.PlanIdAsync(new { title = "Link" });
        await server.ExecuteAsync(id);

        var result = await server.OkAsync("orchestrator_complete_task", new { task_id = id, summary = "s", file_paths = new[] { "alias.txt" } });

        result.Strs("artifact.file_paths").ShouldBe(["real.txt"]);
    }

    [Fact]
    public async Task CompleteTask_SymlinkEscapingTheWorkspace_IsRefusedAndNothingIsStored()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        using var outside = new TemporaryDirectory("to-mcp-outside");
        var secret = Path.Combine(outside.Path, "secret.txt");
        await File.WriteAllTextAsync(secret, "secret", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(server.Workspace, "fine.txt"), "fine", TestContext.Current.CancellationToken);
        File.CreateSymbolicLink(Path.Combine(server.Workspace, "escape.txt"), secret);
        var id = await server.PlanIdAsync(new { title = "Sneaky" });
        await server.ExecuteAsync(id);
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_complete_task", new { task_id = id, summary = "s", file_paths = new[] { "fine.txt", "escape.txt" } });

        error.Str("code").ShouldBe("path_outside_workspace");
        error.Str("field").ShouldBe("file_paths[1]");
        error.Str("message").ShouldBe($"'escape.txt' resolves to '{secret}', outside the workspace '{server.Workspace}'.");
        server.Snapshot().ShouldBe(before);
        (await server.GetTaskAsync(id)).Str("status").ShouldBe("in_progress");
    }

    [Fact]
    public async Task CompleteTask_MissingFile_IsRefusedWithFileNotFound()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Claims a file" });
        await server.ExecuteAsync(id);
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_complete_task", new { task_id = id, summary = "s", file_paths = new[] { "src/missing.cs" } });

        error.Str("code").ShouldBe("file_not_found");
        error.Str("field").ShouldBe("file_paths[0]");
        error.Str("message").ShouldBe($"'src/missing.cs' does not exist in the workspace (looked for '{Path.Combine(server.Workspace, "src", "missing.cs")}').");
        server.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task CompleteTask_SameIdempotencyKeyTwice_ReplaysIdenticalContentAndStoresOneArtifact()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Once" });
        var dependent = await server.PlanIdAsync(new { title = "Then", dependencies = new[] { id } });
        await server.ExecuteAsync(id);
        var arguments = new { task_id = id, summary = "done", detailed_work = "the work", idempotency_key = "complete-once" };
        var first = await server.CallAsync("orchestrator_complete_task", arguments);
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        var before = server.Snapshot();

        var second = await server.CallAsync("orchestrator_complete_task", arguments);

        first.IsError.ShouldBeFalse();
        second.IsError.ShouldBeFalse();
        second.Structured.GetRawText().ShouldBe(first.Structured.GetRawText());
        second.Structured.Pluck("newly_ready_tasks", "task_id").ShouldBe([dependent]);
        second.Text.ShouldBe("(replayed from the idempotency key; nothing changed) " + first.Text);
        server.Snapshot().ShouldBe(before);
        before.Artifacts.ShouldBe(1);
    }

    [Fact]
    public async Task CompleteTask_ByAnotherAgentWithoutTheLease_IsRefusedNamingTheHolder()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Mine" });
        await server.ExecuteAsync(id, "agent-1");
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_complete_task", new { task_id = id, summary = "stolen", agent_id = "agent-2" });

        error.Str("code").ShouldBe("lease_required");
        error.Str("field").ShouldBe("lease_token");
        error.Str("details.held_by").ShouldBe("agent-1");
        error.Int("details.fence").ShouldBe(1);
        server.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task CompleteTask_NotStarted_ReturnsIllegalTransition()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Pending" });
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_complete_task", new { task_id = id, summary = "skipped ahead" });

        error.Str("code").ShouldBe("illegal_transition");
        error.Str("message").ShouldBe($"Task '{id}' is 'pending'; only a task in progress can be reported, so it cannot move to 'completed' this way.");
        error.Str("field").ShouldBe("task_id");
        error.Str("hint").ShouldBe("Start it with orchestrator_execute_task first.");
        server.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task CompleteTask_ParentWithOpenSubtasks_ReturnsHasChildren()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var plan = await server.PlanAsync(new { title = "Parent", subtasks = new object[] { new { title = "Open child" } } });
        await server.ExecuteAsync(plan.Str("task_id")!);
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_complete_task", new { task_id = plan.Str("task_id"), summary = "too early" });

        error.Str("code").ShouldBe("has_children");
        error.Str("field").ShouldBe("task_id");
        error.Strs("details.open_subtasks").ShouldBe([plan.Str("subtasks.0.task_id")!]);
        server.Snapshot().ShouldBe(before);
    }
}
