using System.Text;
using Microsoft.Data.Sqlite;
using Shouldly;
using TaskOrchestrator.Mcp.Tests.Harness;

namespace TaskOrchestrator.Mcp.Tests.Tools;

public sealed class MaintenanceCoordinatorTests
{
    [Fact]
    public async Task MaintenanceCoordinator_ScanCleanupAfterTheDefaultThreshold_ResetsTheStaleTask()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var stale = await server.PlanIdAsync(new { title = "Abandoned" });
        var untouched = await server.PlanIdAsync(new { title = "Never started" });
        await server.ExecuteAsync(stale, "agent-1");
        server.Clock.Advance(TimeSpan.FromHours(25));

        var result = await server.OkAsync("orchestrator_maintenance_coordinator", new { action = "scan_cleanup" });

        result.Str("action").ShouldBe("scan_cleanup");
        result.Str("scope").ShouldBe("workspace");
        result.Bool("dry_run").ShouldBeFalse();
        result.IsNull("validation").ShouldBeTrue();
        result.IsNull("document").ShouldBeTrue();
        result.Str("cleanup.stale_after").ShouldBe("1.00:00:00");
        result.Int("cleanup.changed").ShouldBe(1);
        result.Items("cleanup.orphans").ShouldBeEmpty();
        var item = result.Items("cleanup.stale_tasks").Single();
        item.Str("task.task_id").ShouldBe(stale);
        item.Str("action").ShouldBe("reset_to_pending");
        item.Str("assigned_agent").ShouldBe("agent-1");
        item.Str("problem").ShouldBe("in progress by 'agent-1' with no change since 2026-11-21 09:00:00Z (threshold 1.00:00:00)");
        var reset = await server.GetTaskAsync(stale);
        reset.Str("status").ShouldBe("pending");
        reset.IsNull("assigned_agent").ShouldBeTrue();
        reset.Str("status_reason").ShouldBe("reset by maintenance: " + item.Str("problem"));
        (await server.GetTaskAsync(untouched)).Int("version").ShouldBe(1);
    }

    [Fact]
    public async Task MaintenanceCoordinator_ScanCleanupDryRun_ReportsButChangesNothing()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var stale = await server.PlanIdAsync(new { title = "Abandoned" });
        await server.ExecuteAsync(stale);
        server.Clock.Advance(TimeSpan.FromDays(2));
        var before = server.Snapshot();

        var result = await server.OkAsync("orchestrator_maintenance_coordinator", new { action = "scan_cleanup", dry_run = true });

        result.Bool("dry_run").ShouldBeTrue();
        result.Int("cleanup.changed").ShouldBe(0);
        result.Pluck("cleanup.stale_tasks", "task.task_id").ShouldBe([stale]);
        result.Str("cleanup.stale_tasks.0.action").ShouldBe("reset_to_pending");
        server.Snapshot().ShouldBe(before);
    }

    [Theory]
    [InlineData("24h", "1.00:00:00", true)]
    [InlineData("26h", "1.02:00:00", false)]
    [InlineData("1499m", "1.00:59:00", true)]
    [InlineData("1500m", "1.01:00:00", false)]
    [InlineData("90000s", "1.01:00:00", false)]
    [InlineData("1d", "1.00:00:00", true)]
    [InlineData(" 2d ", "2.00:00:00", false)]
    [InlineData("1.5d", "1.12:00:00", false)]
    [InlineData("PT24H", "1.00:00:00", true)]
    [InlineData("P1DT30M", "1.00:30:00", true)]
    public async Task MaintenanceCoordinator_StaleAfter_IsParsedAndAppliedAsTheThreshold(string staleAfter, string echoed, bool stale)
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Running" });
        await server.ExecuteAsync(id);
        server.Clock.Advance(TimeSpan.FromHours(25));

        var result = await server.OkAsync("orchestrator_maintenance_coordinator", new { action = "scan_cleanup", stale_after = staleAfter, dry_run = true });

        result.Str("cleanup.stale_after").ShouldBe(echoed);
        result.Pluck("cleanup.stale_tasks", "task.task_id").ShouldBe(stale ? [id] : []);
    }

    [Fact]
    public async Task MaintenanceCoordinator_ScanCleanupUnderArchivedParent_ArchivesOrphansAndReportsOnesInProgress()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var plan = await server.PlanAsync(new { title = "Shelved", subtasks = new object[] { new { title = "Open" }, new { title = "Running" }, new { title = "Done" } } });
        var root = plan.Str("task_id")!;
        var ids = plan.Pluck("subtasks", "task_id");
        await server.FinishAsync(ids[2]);
        await server.ExecuteAsync(ids[1], "agent-2");
        await server.OkAsync("orchestrator_update_task", new { task_id = root, status = "archived" });

        var result = await server.OkAsync("orchestrator_maintenance_coordinator", new { action = "scan_cleanup" });

        var orphans = result.Items("cleanup.orphans");
        orphans.Select(o => o.Str("task.task_id")).ShouldBe([ids[0], ids[1]]);
        orphans.Select(o => o.Str("action")).ShouldBe(["archived", "reported"]);
        orphans[0].Str("problem").ShouldBe($"parent '{root}' has been cancelled, archived or removed, so this work can never roll up");
        orphans[1].Str("problem").ShouldBe($"parent '{root}' has ended, but the task is in progress by 'agent-2'; left for its agent to finish or cancel");
        result.Int("cleanup.changed").ShouldBe(1);
        (await server.GetTaskAsync(ids[0])).Str("status").ShouldBe("archived");
        (await server.GetTaskAsync(ids[1])).Str("status").ShouldBe("in_progress");
        (await server.GetTaskAsync(ids[2])).Str("status").ShouldBe("completed");
    }

    [Fact]
    public async Task MaintenanceCoordinator_ScopeSubtree_TouchesOnlyThatSubtree()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var first = await server.PlanAsync(new { title = "First", subtasks = new object[] { new { title = "First child" } } });
        var second = await server.PlanAsync(new { title = "Second", subtasks = new object[] { new { title = "Second child" } } });
        await server.ExecuteAsync(first.Str("subtasks.0.task_id")!);
        await server.ExecuteAsync(second.Str("subtasks.0.task_id")!);
        server.Clock.Advance(TimeSpan.FromDays(2));

        var result = await server.OkAsync("orchestrator_maintenance_coordinator", new { action = "scan_cleanup", scope = "subtree", target_task_id = first.Str("task_id") });

        result.Str("scope").ShouldBe("subtree");
        result.Pluck("cleanup.stale_tasks", "task.task_id").ShouldBe([first.Str("subtasks.0.task_id")!]);
        (await server.GetTaskAsync(second.Str("subtasks.0.task_id")!)).Str("status").ShouldBe("in_progress");
    }

    [Fact]
    public async Task MaintenanceCoordinator_ScopeSession_TouchesOnlyThatSessionsTasks()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var one = (await server.InitializeAsync("one")).Str("session_id")!;
        var two = (await server.InitializeAsync("two")).Str("session_id")!;
        var mine = await server.PlanIdAsync(new { title = "Mine", session_id = one });
        var theirs = await server.PlanIdAsync(new { title = "Theirs", session_id = two });
        await server.ExecuteAsync(mine);
        await server.ExecuteAsync(theirs);
        server.Clock.Advance(TimeSpan.FromDays(2));

        var result = await server.OkAsync("orchestrator_maintenance_coordinator", new { action = "scan_cleanup", scope = "session", session_id = one });

        result.Str("scope").ShouldBe("session");
        result.Pluck("cleanup.stale_tasks", "task.task_id").ShouldBe([mine]);
        (await server.GetTaskAsync(theirs)).Str("status").ShouldBe("in_progress");
    }

    [Fact]
    public async Task MaintenanceCoordinator_ScopeSessionWithoutSessionId_UsesTheCurrentSession()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        await server.InitializeAsync("other");
        await server.InitializeAsync("current");
        var mine = await server.PlanIdAsync(new { title = "Mine" });
        await server.ExecuteAsync(mine);
        server.Clock.Advance(TimeSpan.FromDays(2));

        var result = await server.OkAsync("orchestrator_maintenance_coordinator", new { action = "scan_cleanup", scope = "session", dry_run = true });

        result.Pluck("cleanup.stale_tasks", "task.task_id").ShouldBe([mine]);
    }

    [Theory]
    [InlineData("basic", new[] { "store_integrity_quick", "dangling_references", "dependency_cycles" })]
    [InlineData("standard", new[] { "store_integrity_quick", "dangling_references", "dependency_cycles", "ancestor_dependencies", "parent_child_status", "unsatisfiable_dependencies" })]
    [InlineData("thorough", new[] { "store_integrity_full", "dangling_references", "dependency_cycles", "ancestor_dependencies", "parent_child_status", "unsatisfiable_dependencies", "artifact_hashes" })]
    public async Task MaintenanceCoordinator_ValidateStructureOnHealthyWorkspace_RunsTheLevelsChecksAndFindsNothing(string level, string[] checks)
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var a = await server.PlanIdAsync(new { title = "A" });
        await server.PlanIdAsync(new { title = "B", dependencies = new[] { a } });
        await server.FinishAsync(a, "s", "work");
        var before = server.Snapshot();

        var result = await server.OkAsync("orchestrator_maintenance_coordinator", new { action = "validate_structure", validation_level = level });

        result.Str("validation.level").ShouldBe(level);
        result.Bool("validation.valid").ShouldBeTrue();
        result.Strs("validation.checks_run").ShouldBe(checks);
        result.Items("validation.findings").ShouldBeEmpty();
        result.Int("validation.tasks_checked").ShouldBe(2);
        result.Int("validation.dependencies_checked").ShouldBe(1);
        result.Int("validation.artifacts_verified").ShouldBe(level == "thorough" ? 1 : 0);
        result.IsNull("cleanup").ShouldBeTrue();
        server.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task MaintenanceCoordinator_ValidateStructureWithStrandedWork_ReportsWarningsWithFixes()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var dropped = await server.PlanIdAsync(new { title = "Dropped" });
        var waiting = await server.PlanIdAsync(new { title = "Waits forever", dependencies = new[] { dropped } });
        await server.OkAsync("orchestrator_cancel_task", new { task_id = dropped });
        var plan = await server.PlanAsync(new { title = "Shelved", subtasks = new object[] { new { title = "Left open" } } });
        await server.OkAsync("orchestrator_update_task", new { task_id = plan.Str("task_id"), status = "archived" });

        var result = await server.OkAsync("orchestrator_maintenance_coordinator", new { action = "validate_structure" });

        result.Bool("validation.valid").ShouldBeTrue();
        var findings = result.Items("validation.findings");
        findings.Select(f => f.Str("check")).ShouldBe(["parent_child_status", "unsatisfiable_dependencies"]);
        findings.ShouldAllBe(f => f.Str("severity") == "warning" && f.Str("fix")!.Length > 0);
        findings[0].Strs("task_ids").ShouldBe([plan.Str("task_id")!, plan.Str("subtasks.0.task_id")!]);
        findings[1].Strs("task_ids").ShouldBe([waiting, dropped]);
        findings[1].Str("message").ShouldBe($"Task '{waiting}' waits for '{dropped}', which is 'cancelled' and will not complete: it can never become ready.");
    }

    [Fact]
    public async Task MaintenanceCoordinator_ThoroughValidationAfterArtifactTampering_ReportsTheHashMismatch()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Produces" });
        var artifactId = (await server.FinishAsync(id, "s", "original")).Str("artifact.artifact_id");
        using (var connection = new SqliteConnection($"Data Source={server.DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE artifact SET content = 'tampered'";
            command.ExecuteNonQuery().ShouldBe(1);
        }

        var result = await server.OkAsync("orchestrator_maintenance_coordinator", new { action = "validate_structure", validation_level = "thorough" });

        result.Bool("validation.valid").ShouldBeFalse();
        var finding = result.Items("validation.findings").Single();
        finding.Str("check").ShouldBe("artifact_hashes");
        finding.Str("severity").ShouldBe("error");
        finding.Strs("task_ids").ShouldBe([id]);
        finding.Str("message")!.ShouldStartWith($"Artifact '{artifactId}' of task '{id}' has content hashing to sha256:");
    }

    [Fact]
    public async Task MaintenanceCoordinator_UpdateDocumentation_WritesTheStatusDocumentIntoTheWorkspace()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Documented task" });

        var result = await server.OkAsync("orchestrator_maintenance_coordinator", new { action = "update_documentation" });

        var path = Path.Combine(server.Workspace, ".task-orchestrator", "docs", "task-status.md");
        result.Str("action").ShouldBe("update_documentation");
        result.Str("document.path").ShouldBe(path);
        result.Str("document.relative_path").ShouldBe(".task-orchestrator/docs/task-status.md");
        result.Bool("document.written").ShouldBeTrue();
        var content = result.Str("document.content")!;
        content.ShouldStartWith("# Task status\n");
        content.ShouldContain($"(`{id}`");
        result.Int("document.bytes").ShouldBe(Encoding.UTF8.GetByteCount(content));
        (await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken)).ShouldBe(content);
        Directory.GetFiles(Path.GetDirectoryName(path)!).ShouldBe([path]);
    }

    [Fact]
    public async Task MaintenanceCoordinator_PrepareHandoverDryRun_ReturnsTheDocumentWithoutWritingIt()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        await server.PlanIdAsync(new { title = "Hand me over" });
        var before = server.Snapshot();

        var result = await server.OkAsync("orchestrator_maintenance_coordinator", new { action = "prepare_handover", dry_run = true });

        result.Str("action").ShouldBe("prepare_handover");
        result.Str("document.relative_path").ShouldBe(".task-orchestrator/docs/handover-20261121-090000.md");
        result.Bool("document.written").ShouldBeFalse();
        result.Str("document.content")!.ShouldStartWith("# Handover\n");
        result.Str("document.content")!.ShouldContain("Hand me over");
        File.Exists(result.Str("document.path")!).ShouldBeFalse();
        server.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task MaintenanceCoordinator_PrepareHandover_WritesATimestampedDocument()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        await server.PlanIdAsync(new { title = "Hand me over" });
        server.Clock.Advance(TimeSpan.FromSeconds(61));

        var result = await server.OkAsync("orchestrator_maintenance_coordinator", new { action = "prepare_handover" });

        result.Str("document.relative_path").ShouldBe(".task-orchestrator/docs/handover-20261121-090101.md");
        (await File.ReadAllTextAsync(Path.Combine(server.Workspace, ".task-orchestrator", "docs", "handover-20261121-090101.md"), TestContext.Current.CancellationToken)).ShouldBe(result.Str("document.content"));
    }

    [Fact]
    public async Task MaintenanceCoordinator_PrepareHandoverOfSubtree_ListsOnlyThatSubtree()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var mine = await server.PlanAsync(new { title = "Mine", subtasks = new object[] { new { title = "My child" } } });
        var other = await server.PlanIdAsync(new { title = "Somebody else's work" });

        var result = await server.OkAsync("orchestrator_maintenance_coordinator", new { action = "prepare_handover", scope = "subtree", target_task_id = mine.Str("task_id"), dry_run = true });

        var content = result.Str("document.content")!;
        content.ShouldContain(mine.Str("subtasks.0.task_id")!);
        content.ShouldNotContain(other);
    }
}
