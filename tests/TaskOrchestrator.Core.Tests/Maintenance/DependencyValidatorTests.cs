using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Shouldly;
using TaskOrchestrator.Core.Maintenance;
using TaskOrchestrator.Core.Maintenance.Dependencies;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Planning;
using TaskOrchestrator.Core.Tests.Services;
using TaskOrchestrator.Storage.Sqlite;

namespace TaskOrchestrator.Core.Tests.Maintenance;

// Cycles and dangling references cannot be made through the services: the tests write those rows
// straight into the database file, with foreign keys off, as a hand edit or an older version would.
public sealed class DependencyValidatorTests : ServiceTests
{
    private static readonly MaintenanceTarget Workspace = new(MaintenanceScope.Workspace, null, null);

    [Fact]
    public async Task ValidateAsync_HealthyPlan_ScoresOneHundredWithNoFindings()
    {
        var plan = await PlanAsync(new TaskSpec
        {
            Title = "Epic",
            Subtasks = [new TaskSpec { Key = "a", Title = "A" }, new TaskSpec { Title = "B", Dependencies = ["a"] }],
        });
        await FinishAsync(plan.Subtasks[0].Task.Id);

        var report = await ValidateAsync();

        report.Score.ShouldBe(100);
        report.Findings.ShouldBeEmpty();
        report.Summary.Select(s => (s.Kind, s.Found, s.Reported, s.Penalty)).ShouldBe(
        [
            (DependencyFindingKind.DependencyCycle, 0, 0, 0),
            (DependencyFindingKind.DanglingReference, 0, 0, 0),
            (DependencyFindingKind.BlockedByEndedWork, 0, 0, 0),
            (DependencyFindingKind.OrphanedSubtree, 0, 0, 0),
            (DependencyFindingKind.SinglePointOfFailure, 0, 0, 0),
        ]);
        (report.TasksAnalyzed, report.DependenciesAnalyzed, report.MinDependents, report.Truncated).ShouldBe((3, 1, 5, false));
    }

    [Fact]
    public async Task ValidateAsync_ThreeTasksWaitingInACircle_ReportsTheCycleWithTitlesAndTheEdgeToRemove()
    {
        await InsertRawAsync(RawTask("task_a"), RawTask("task_b"), RawTask("task_c"), RawTask("task_d"));
        HandEdit(Edge("task_a", "task_b"), Edge("task_b", "task_c"), Edge("task_c", "task_a"), Edge("task_d", "task_a"));

        var report = await ValidateAsync();

        var finding = report.Findings.ShouldHaveSingleItem();
        (finding.Kind, finding.Severity, finding.TasksInvolved).ShouldBe((DependencyFindingKind.DependencyCycle, FindingSeverity.Error, 3));
        finding.Message.ShouldBe("Dependencies form a cycle: task_a -> task_b -> task_c -> task_a; none of these tasks can become ready.");
        finding.Tasks.ShouldBe([new TaskMention("task_a", "Task task_a", TaskItemStatus.Pending), new TaskMention("task_b", "Task task_b", TaskItemStatus.Pending), new TaskMention("task_c", "Task task_c", TaskItemStatus.Pending)]);
        (finding.Fix.Tool, finding.Fix.Arguments!.ToJsonString()).ShouldBe(("orchestrator_update_task", """{"task_id":"task_c","remove_dependencies":["task_a"]}"""));
        report.Score.ShouldBe(75);
    }

    [Fact]
    public async Task ValidateAsync_TwoCyclesSharingATask_ReportsOneFindingNamingEveryTaskCaught()
    {
        await InsertRawAsync(RawTask("task_a"), RawTask("task_b"), RawTask("task_c"), RawTask("task_d"));
        HandEdit(Edge("task_a", "task_b"), Edge("task_b", "task_a"), Edge("task_b", "task_c"), Edge("task_c", "task_d"), Edge("task_d", "task_b"));

        var finding = (await ValidateAsync()).Findings.ShouldHaveSingleItem();

        finding.Message.ShouldBe("Dependencies form a cycle: task_a -> task_b -> task_a; none of these tasks can become ready. 4 tasks in all are caught in cycles of this dependency group.");
        finding.Tasks.Select(t => t.Id).ShouldBe(["task_a", "task_b", "task_c", "task_d"]);
        finding.TasksInvolved.ShouldBe(4);
        finding.Fix.Arguments!.ToJsonString().ShouldBe("""{"task_id":"task_b","remove_dependencies":["task_a"]}""");
    }

    [Fact]
    public async Task ValidateAsync_CycleAmongEndedTasks_SuggestsNoToolCall()
    {
        await InsertRawAsync(Done("task_a"), Done("task_b"));
        HandEdit(Edge("task_a", "task_b"), Edge("task_b", "task_a"));

        var finding = (await ValidateAsync()).Findings.ShouldHaveSingleItem();

        (finding.Fix.Tool, finding.Fix.Arguments).ShouldBe((null, null));
        finding.Fix.Description.ShouldBe("Every task of the cycle has ended, so no tool edits it; the cycle blocks no further work and only affects reports.");
    }

    [Fact]
    public async Task ValidateAsync_TwoTasksEachTheParentOfTheOther_ReportsAParentCycle()
    {
        await InsertRawAsync(RawTask("task_p"), RawTask("task_q", "task_p"));
        HandEdit("UPDATE task SET parent_id = 'task_q' WHERE id = 'task_p'");

        var report = await ValidateAsync();

        var finding = report.Findings.ShouldHaveSingleItem();
        (finding.Kind, finding.Severity).ShouldBe((DependencyFindingKind.DependencyCycle, FindingSeverity.Error));
        finding.Message.ShouldBe("Parents form a cycle: task_p -> task_q -> task_p (each is a subtask of the next); none of these tasks belongs to a real tree.");
        (finding.Fix.Tool, finding.Fix.Arguments!.ToJsonString()).ShouldBe(("orchestrator_update_task", """{"task_id":"task_q","clear_fields":["parent_task_id"]}"""));
    }

    [Fact]
    public async Task ValidateAsync_ReferencesToTasksThatDoNotExist_ReportsEachWithTheFixThatApplies()
    {
        await InsertRawAsync(RawTask("task_open"), Done("task_done"), RawTask("task_kept"), Done("task_child"), RawTask("task_stray"));
        HandEdit(
            Edge("task_open", "task_gone_1"),
            Edge("task_done", "task_gone_2"),
            Edge("task_ghost", "task_kept"),
            "UPDATE task SET parent_id = 'task_gone_3' WHERE id = 'task_child'",
            "UPDATE task SET parent_id = 'task_gone_4' WHERE id = 'task_stray'");

        var report = await ValidateAsync();

        report.Findings.Select(f => (f.Kind, f.Severity, f.Message, string.Join(",", f.Tasks.Select(t => $"{t.Id}:{t.Exists}")), f.Fix.Tool, f.Fix.Arguments?.ToJsonString())).ShouldBe(
        [
            (DependencyFindingKind.DanglingReference, FindingSeverity.Error, "Task 'task_child' names parent 'task_gone_3', which does not exist.", "task_child:True,task_gone_3:False", null, null),
            (DependencyFindingKind.DanglingReference, FindingSeverity.Error, "Task 'task_done' depends on 'task_gone_2', which does not exist.", "task_done:True,task_gone_2:False", null, null),
            (DependencyFindingKind.DanglingReference, FindingSeverity.Error, "A dependency of 'task_ghost', which does not exist, on 'task_kept' remains.", "task_ghost:False,task_kept:True", null, null),
            (DependencyFindingKind.DanglingReference, FindingSeverity.Error, "Task 'task_open' depends on 'task_gone_1', which does not exist.", "task_open:True,task_gone_1:False", "orchestrator_update_task", """{"task_id":"task_open","remove_dependencies":["task_gone_1"]}"""),
            (DependencyFindingKind.OrphanedSubtree, FindingSeverity.Error, "Task 'task_stray' is still 'pending' but its parent 'task_gone_4' no longer exists: it can never roll up.", "task_stray:True,task_gone_4:False", "orchestrator_cancel_task", """{"task_id":"task_stray","cascade":true,"reason":"parent task_gone_4 was removed"}"""),
        ]);
        report.Findings[1].Fix.Description.ShouldBe("Task 'task_done' is 'completed', so no tool edits its dependencies, and the edge blocks nothing. Restore the workspace database from a backup (docs/operations.md) if the missing task matters.");
        report.Score.ShouldBe(100 - 45 - 10);
    }

    [Fact]
    public async Task ValidateAsync_WaitingTasksWhoseHardDependencyEndedUnfinished_ReportsEachEdge()
    {
        await InsertRawAsync(
            RawTask("task_cancelled") with { Status = TaskItemStatus.Cancelled },
            RawTask("task_failed") with { Status = TaskItemStatus.Failed },
            RawTask("task_shelved") with { Status = TaskItemStatus.Archived },
            RawTask("task_archived_done") with { Status = TaskItemStatus.Archived, CompletedAt = Start },
            RawTask("task_w1"),
            RawTask("task_w2") with { Status = TaskItemStatus.Blocked, StatusReason = "waiting" },
            RawTask("task_w3"),
            RawTask("task_fine"),
            RawTask("task_soft"),
            RawTask("task_running") with { Status = TaskItemStatus.InProgress, StartedAt = Start });
        HandEdit(
            Edge("task_w1", "task_cancelled"),
            Edge("task_w2", "task_failed"),
            Edge("task_w3", "task_shelved"),
            Edge("task_fine", "task_archived_done"),
            Edge("task_soft", "task_cancelled", "soft"),
            Edge("task_running", "task_cancelled"));

        var report = await ValidateAsync();

        report.Findings.Select(f => (f.Kind, f.Severity, f.Message, f.Fix.Arguments!.ToJsonString())).ShouldBe(
        [
            (DependencyFindingKind.BlockedByEndedWork, FindingSeverity.Warning, "Task 'task_w1' waits for 'task_cancelled', which is 'cancelled' and will not complete: it can never become ready.", """{"task_id":"task_w1","remove_dependencies":["task_cancelled"]}"""),
            (DependencyFindingKind.BlockedByEndedWork, FindingSeverity.Warning, "Task 'task_w2' waits for 'task_failed', which is 'failed' and will not complete: it can never become ready.", """{"task_id":"task_w2","remove_dependencies":["task_failed"]}"""),
            (DependencyFindingKind.BlockedByEndedWork, FindingSeverity.Warning, "Task 'task_w3' waits for 'task_shelved', which is 'archived' and will not complete: it can never become ready.", """{"task_id":"task_w3","remove_dependencies":["task_shelved"]}"""),
        ]);
        report.Findings[0].Fix.Description.ShouldBe("Remove the dependency so 'task_w1' can become ready, or reopen 'task_cancelled' (orchestrator_update_task status='pending') to have it done again, or cancel 'task_w1' (orchestrator_cancel_task) if it makes no sense without 'task_cancelled'.");
        report.Findings[2].Fix.Description.ShouldBe("Remove the dependency so 'task_w3' can become ready, or cancel 'task_w3' (orchestrator_cancel_task) if it makes no sense without 'task_shelved'.");
        report.Score.ShouldBe(70);
    }

    [Fact]
    public async Task ValidateAsync_OpenSubtasksUnderEndedParents_ReportsEachOrphanedSubtreeWithItsOpenTasks()
    {
        await InsertRawAsync(
            RawTask("task_p") with { Status = TaskItemStatus.Cancelled },
            RawTask("task_c1", "task_p"),
            RawTask("task_g1", "task_c1"),
            Done("task_g2") with { ParentId = "task_c1" },
            Done("task_c2") with { ParentId = "task_p" },
            RawTask("task_q") with { Status = TaskItemStatus.Archived },
            RawTask("task_c3", "task_q") with { Status = TaskItemStatus.InProgress, StartedAt = Start });

        var report = await ValidateAsync();

        report.Findings.Select(f => (f.Kind, f.Severity, f.Message, string.Join(",", f.Tasks.Select(t => t.Id)), f.TasksInvolved, f.Fix.Tool, f.Fix.Arguments!.ToJsonString())).ShouldBe(
        [
            (DependencyFindingKind.OrphanedSubtree, FindingSeverity.Warning, "Task 'task_c1' is still 'pending' but its parent 'task_p' is 'cancelled': it and the 1 open subtask under it can never roll up.", "task_c1,task_p,task_g1", 3, "orchestrator_cancel_task", """{"task_id":"task_c1","cascade":true,"reason":"parent task_p was cancelled"}"""),
            (DependencyFindingKind.OrphanedSubtree, FindingSeverity.Warning, "Task 'task_c3' is still 'in_progress' but its parent 'task_q' is 'archived': it can never roll up.", "task_c3,task_q", 2, "orchestrator_cancel_task", """{"task_id":"task_c3","cascade":true,"reason":"parent task_q was archived"}"""),
        ]);
        report.Score.ShouldBe(80);
    }

    [Fact]
    public async Task ValidateAsync_TasksManyOthersWaitOn_ReportsThoseAtTheThresholdMostDependentsFirst()
    {
        // task_r <- a, b; a <- c, d; b <- d, e (a diamond: d counts once). A chain x1 <- x2 <- ... <- x7.
        await InsertRawAsync(
            RawTask("task_r"), RawTask("task_a"), RawTask("task_b"), RawTask("task_c"), RawTask("task_d"), RawTask("task_e"),
            RawTask("task_x1") with { Status = TaskItemStatus.InProgress, StartedAt = Start },
            RawTask("task_x2"), RawTask("task_x3"), RawTask("task_x4"), RawTask("task_x5"), RawTask("task_x6"), RawTask("task_x7"),
            Done("task_done"), RawTask("task_after_1"), RawTask("task_after_2"), RawTask("task_after_3"), RawTask("task_after_4"), RawTask("task_after_5"));
        HandEdit(
            Edge("task_a", "task_r"), Edge("task_b", "task_r"), Edge("task_c", "task_a"), Edge("task_d", "task_a"), Edge("task_d", "task_b"), Edge("task_e", "task_b"),
            Edge("task_x2", "task_x1"), Edge("task_x3", "task_x2"), Edge("task_x4", "task_x3"), Edge("task_x5", "task_x4"), Edge("task_x6", "task_x5"), Edge("task_x7", "task_x6"),
            Edge("task_after_1", "task_done"), Edge("task_after_2", "task_done"), Edge("task_after_3", "task_done"), Edge("task_after_4", "task_done"), Edge("task_after_5", "task_done"));

        var report = await ValidateAsync();
        var lower = await DependencyValidator.ValidateAsync(Store, Workspace, 2, Ct);

        report.Findings.Select(f => (f.Kind, f.Severity, f.Message, string.Join(",", f.Tasks.Select(t => t.Id)), f.TasksInvolved)).ShouldBe(
        [
            (DependencyFindingKind.SinglePointOfFailure, FindingSeverity.Info, "6 open tasks wait on task 'task_x1' (1 directly, 5 through them): if it fails or is cancelled, none of them can become ready.", "task_x1,task_x2", 7),
            (DependencyFindingKind.SinglePointOfFailure, FindingSeverity.Info, "5 open tasks wait on task 'task_r' (2 directly, 3 through them): if it fails or is cancelled, none of them can become ready.", "task_r,task_a,task_b", 6),
            (DependencyFindingKind.SinglePointOfFailure, FindingSeverity.Info, "5 open tasks wait on task 'task_x2' (1 directly, 4 through them): if it fails or is cancelled, none of them can become ready.", "task_x2,task_x3", 6),
        ]);
        report.Findings[0].Fix.Arguments!.ToJsonString().ShouldBe("""{"task_id":"task_x1","priority":"critical"}""");
        report.Score.ShouldBe(85);
        lower.Findings.Select(f => f.Tasks[0].Id).ShouldBe(["task_x1", "task_r", "task_x2", "task_x3", "task_x4", "task_a", "task_b", "task_x5"]);
        lower.Summary.Single(s => s.Kind == DependencyFindingKind.SinglePointOfFailure).ShouldBe(new KindSummary(DependencyFindingKind.SinglePointOfFailure, 8, 8, 15));
        lower.Score.ShouldBe(85);
    }

    [Fact]
    public async Task ValidateAsync_MoreFindingsOfAKindThanAreListed_CountsThemAllAndSaysWhereItStopped()
    {
        await InsertRawAsync([RawTask("task_dropped") with { Status = TaskItemStatus.Cancelled }, .. Enumerable.Range(0, 26).Select(i => RawTask($"task_w{i:00}"))]);
        HandEdit([.. Enumerable.Range(0, 26).Select(i => Edge($"task_w{i:00}", "task_dropped"))]);

        var report = await ValidateAsync();

        report.Findings.Count.ShouldBe(25);
        report.Findings[^1].Tasks[0].Id.ShouldBe("task_w24");
        report.Summary.Single(s => s.Kind == DependencyFindingKind.BlockedByEndedWork).ShouldBe(new KindSummary(DependencyFindingKind.BlockedByEndedWork, 26, 25, 30));
        report.LimitsReached.ShouldBe(["blocked_by_ended_work: 26 found, the first 25 listed."]);
        report.Truncated.ShouldBeTrue();
        report.Score.ShouldBe(70);
    }

    [Fact]
    public async Task ValidateAsync_SubtreeAndSessionScopes_KeepOnlyFindingsInvolvingTheirTasks()
    {
        var session = await WriteAsync(unit => new Sessions.SessionService(Time, Ids).CreateAsync(unit, Store.Workspace.Id, "s", null, Ct));
        await InsertRawAsync(
            RawTask("task_root"), RawTask("task_inside", "task_root"), RawTask("task_a"), RawTask("task_b"),
            RawTask("task_mine") with { SessionId = session.Id, Status = TaskItemStatus.Cancelled }, RawTask("task_waits_on_mine"));
        HandEdit(Edge("task_inside", "task_nowhere"), Edge("task_a", "task_b"), Edge("task_b", "task_a"), Edge("task_waits_on_mine", "task_mine"));

        var subtree = await DependencyValidator.ValidateAsync(Store, new MaintenanceTarget(MaintenanceScope.Subtree, null, "task_root"), 5, Ct);
        var bySession = await DependencyValidator.ValidateAsync(Store, new MaintenanceTarget(MaintenanceScope.Session, session.Id, null), 5, Ct);
        var whole = await ValidateAsync();

        subtree.Findings.Select(f => f.Message).ShouldBe(["Task 'task_inside' depends on 'task_nowhere', which does not exist."]);
        (subtree.TasksAnalyzed, subtree.DependenciesAnalyzed, subtree.Score).ShouldBe((2, 1, 85));
        bySession.Findings.Select(f => f.Kind).ShouldBe([DependencyFindingKind.BlockedByEndedWork]);
        (bySession.TasksAnalyzed, bySession.DependenciesAnalyzed, bySession.Score).ShouldBe((1, 1, 90));
        whole.Score.ShouldBe(100 - 25 - 15 - 10);
    }

    [Fact]
    public async Task ValidateAsync_ThresholdBelowTwo_IsRefusedNamingTheArgument()
    {
        var error = await Should.ThrowAsync<Errors.OrchestratorException>(() => DependencyValidator.ValidateAsync(Store, Workspace, 1, Ct));

        (error.Error.Code, error.Error.Field, error.Error.Message).ShouldBe(("invalid_argument", "min_dependents", "min_dependents must be at least 2, not 1."));
    }

    [Fact]
    public async Task ValidateAsync_ChainOfOneHundredThousandTasks_CountsEveryDependentWithoutRunningOutOfBudget()
    {
        SeedChain(100_000);
        var watch = Stopwatch.StartNew();

        var report = await ValidateAsync();

        watch.Stop();
        TestContext.Current.TestOutputHelper?.WriteLine($"validated 100,000 tasks and 99,999 edges in {watch.ElapsedMilliseconds} ms");
        report.Findings[0].Message.ShouldBe("99999 open tasks wait on task 'task_000000' (1 directly, 99998 through them): if it fails or is cancelled, none of them can become ready.");
        report.Summary.Single(s => s.Kind == DependencyFindingKind.SinglePointOfFailure).Found.ShouldBe(99_995);
        report.LimitsReached.ShouldBe(["single_point_of_failure: 99995 found, the first 25 listed."]);
        (report.TasksAnalyzed, report.DependenciesAnalyzed, report.Score).ShouldBe((100_000, 99_999, 85));
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void SinglePointCounter_WalksBeyondTheBudget_LeavesThoseTasksUncountedAndUnreported()
    {
        // r <- a, b; c waits on both a and b: counting r needs a walk of 4 edge visits.
        TaskNode Node(string id) => new(id, null, null, TaskItemStatus.Pending, false);
        var graph = new TaskGraph([Node("r"), Node("a"), Node("b"), Node("c")], [new("a", "r"), new("b", "r"), new("c", "a"), new("c", "b")]);

        var starved = new SinglePointCounter(graph, budget: 3);
        var fed = new SinglePointCounter(graph, budget: 4);

        starved.Find(2, Ct).ShouldBeEmpty();
        (starved.Counted, starved.Uncounted).ShouldBe((3, 1));
        fed.Find(2, Ct).Select(f => f.Message).ShouldBe(["3 open tasks wait on task 'r' (2 directly, 1 through them): if it fails or is cancelled, none of them can become ready."]);
        fed.Uncounted.ShouldBe(0);
    }

    [Theory]
    [InlineData(DependencyFindingKind.DependencyCycle, 1, 25)]
    [InlineData(DependencyFindingKind.DependencyCycle, 3, 50)]
    [InlineData(DependencyFindingKind.DanglingReference, 2, 30)]
    [InlineData(DependencyFindingKind.DanglingReference, 4, 45)]
    [InlineData(DependencyFindingKind.BlockedByEndedWork, 3, 30)]
    [InlineData(DependencyFindingKind.OrphanedSubtree, 1, 10)]
    [InlineData(DependencyFindingKind.SinglePointOfFailure, 2, 10)]
    [InlineData(DependencyFindingKind.SinglePointOfFailure, int.MaxValue, 15)]
    public void Penalty_FoundFindings_IsWeightTimesFoundUpToTheCap(DependencyFindingKind kind, int found, int penalty)
    {
        DependencyHealthScore.Penalty(kind, found).ShouldBe(penalty);
    }

    [Fact]
    public void Score_PenaltiesAboveOneHundred_IsZero()
    {
        DependencyHealthScore.Score([50, 45, 30]).ShouldBe(0);
        DependencyHealthScore.Score([]).ShouldBe(100);
    }

    private Task<DependencyReport> ValidateAsync() => DependencyValidator.ValidateAsync(Store, Workspace, DependencyValidator.DefaultMinDependents, Ct);

    private TaskRecord Done(string id) => RawTask(id) with { Status = TaskItemStatus.Completed, StartedAt = Start, CompletedAt = Start };

    private string Edge(string task, string dependsOn, string kind = "hard") =>
        $"INSERT INTO dependency (workspace_id, task_id, depends_on_id, kind, created_at) VALUES ('{Store.Workspace.Id}', '{task}', '{dependsOn}', '{kind}', 0)";

    private void HandEdit(params string[] statements)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = SqliteStoreProvider.DatabasePath(WorkspacePath),
            Pooling = false,
            ForeignKeys = false,
        }.ToString());
        connection.Open();
        foreach (var sql in statements)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery().ShouldBe(1, sql);
        }
    }

    /// <summary>task_000000 &lt;- task_000001 &lt;- ... : each task waits on the one before it, written in one transaction.</summary>
    private void SeedChain(int length)
    {
        using var connection = new SqliteConnection($"Data Source={SqliteStoreProvider.DatabasePath(WorkspacePath)};Pooling=False");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {length})
            INSERT INTO task (id, workspace_id, title, task_type, specialist_type, complexity, complexity_rank, priority, priority_rank, status, version, created_at, updated_at)
            SELECT printf('task_%06d', i), '{Store.Workspace.Id}', 'Step ' || i, 'standard', 'implementer', 'moderate', 3, 'medium', 2, 'pending', 1, i, i FROM n;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {length})
            INSERT INTO dependency (workspace_id, task_id, depends_on_id, kind, created_at)
            SELECT '{Store.Workspace.Id}', printf('task_%06d', i), printf('task_%06d', i - 1), 'hard', 0 FROM n;
            """;
        command.ExecuteNonQuery();
        transaction.Commit();
    }
}
