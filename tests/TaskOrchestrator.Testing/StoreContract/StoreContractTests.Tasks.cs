using Shouldly;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Testing.StoreContract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task InsertAsync_EveryFieldSet_GetAsyncReturnsAnEqualRecord()
    {
        await WriteAsync(unit => unit.Sessions.InsertAsync(NewSession("ses_1"), Ct));
        var parent = NewTask("task_parent");
        var task = NewTask("task_full", "Implement the parser") with
        {
            SessionId = "ses_1",
            ParentId = "task_parent",
            Description = "Tokens, grammar and errors. Ünïcode ✓",
            Type = TaskType.Implementation,
            SpecialistType = "implementer",
            Complexity = TaskComplexity.Complex,
            Priority = TaskPriority.Critical,
            Status = TaskItemStatus.InProgress,
            Version = 7,
            ContextJson = """{"goal":"parse","limits":[1,2]}""",
            EstimatedEffort = "3h",
            DueAt = Start.AddDays(3),
            CreatedAt = Start.AddMinutes(1),
            UpdatedAt = Start.AddMinutes(2),
            StartedAt = Start.AddMinutes(3),
            CompletedAt = Start.AddMinutes(4),
            AssignedAgent = "agent-7",
            StatusReason = "resumed after review",
            ResultSummary = "half done",
        };

        await InsertAsync(parent, task);

        (await GetTaskAsync("task_full")).ShouldBe(task);
        (await GetTaskAsync("task_parent")).ShouldBe(parent);
    }

    [Fact]
    public async Task InsertAsync_SubMillisecondTimes_ReadBackTruncatedToMilliseconds()
    {
        var precise = Start.AddTicks(12_345); // 1.2345 ms
        await InsertAsync(NewTask("task_1") with { CreatedAt = precise, UpdatedAt = precise, DueAt = precise });

        var stored = await GetTaskAsync("task_1");

        stored!.CreatedAt.ShouldBe(Start.AddMilliseconds(1));
        stored.UpdatedAt.ShouldBe(Start.AddMilliseconds(1));
        stored.DueAt.ShouldBe(Start.AddMilliseconds(1));
    }

    [Fact]
    public async Task InsertAsync_ParentDoesNotExist_ThrowsAndStoresNothing()
    {
        // The contract names no exception type for a broken precondition (each backend throws its own);
        // what it does require is that nothing was stored.
        await Should.ThrowAsync<Exception>(async () =>
            await InsertAsync(NewTask("task_child") with { ParentId = "task_missing" }));

        (await GetTaskAsync("task_child")).ShouldBeNull();
    }

    [Fact]
    public async Task GetAsync_UnknownId_ReturnsNull()
    {
        await InsertAsync(NewTask("task_1"));

        (await GetTaskAsync("task_2")).ShouldBeNull();
    }

    [Fact]
    public async Task GetManyAsync_SomeIdsMissing_ReturnsOnlyTheExistingTasks()
    {
        await InsertAsync(NewTask("task_a"), NewTask("task_b"), NewTask("task_c"));

        var found = await ReadAsync(unit => unit.Tasks.GetManyAsync(["task_c", "task_missing", "task_a"], Ct));

        found.Select(t => t.Id).Order(StringComparer.Ordinal).ShouldBe(["task_a", "task_c"]);
    }

    [Fact]
    public async Task GetManyAsync_NoIds_ReturnsEmpty()
    {
        await InsertAsync(NewTask("task_a"));

        (await ReadAsync(unit => unit.Tasks.GetManyAsync([], Ct))).ShouldBeEmpty();
    }

    [Fact]
    public async Task UpdateAsync_ExpectedVersionMatches_ReplacesTheStoredRecord()
    {
        var original = NewTask("task_1");
        await InsertAsync(original);
        Time.Advance(TimeSpan.FromSeconds(5));
        var changed = original with
        {
            Title = "Renamed",
            Description = "now with a description",
            Status = TaskItemStatus.Blocked,
            StatusReason = "waiting for credentials",
            Priority = TaskPriority.High,
            Version = 2,
            UpdatedAt = Time.Now(),
        };

        await WriteAsync(unit => unit.Tasks.UpdateAsync(changed, expectedVersion: 1, Ct));

        (await GetTaskAsync("task_1")).ShouldBe(changed);
    }

    [Fact]
    public async Task UpdateAsync_OverTheStoredRecord_WritesEveryChangedColumn()
    {
        var stored = NewTask("task_1") with { ParentId = null, Description = "kept as it was" };
        await InsertAsync(stored);
        Time.Advance(TimeSpan.FromSeconds(5));
        var claimed = stored with
        {
            Status = TaskItemStatus.InProgress,
            Version = 2,
            UpdatedAt = Time.Now(),
            StartedAt = Time.Now(),
            AssignedAgent = "agent-1",
            LeaseToken = "lease_1_abc",
            LeaseFence = 1,
            LeaseSeconds = 60,
            LeaseExpiresAt = Time.Now().AddSeconds(60),
        };

        await WriteAsync(unit => unit.Tasks.UpdateAsync(claimed, stored, Ct));
        (await GetTaskAsync("task_1")).ShouldBe(claimed);

        // Back to nothing: columns set to null are written too.
        var released = claimed with { Status = TaskItemStatus.Pending, Version = 3, AssignedAgent = null, LeaseToken = null, LeaseExpiresAt = null, LeaseSeconds = null, StartedAt = null, Description = null };
        await WriteAsync(unit => unit.Tasks.UpdateAsync(released, claimed, Ct));
        (await GetTaskAsync("task_1")).ShouldBe(released);
    }

    [Fact]
    public async Task UpdateAsync_OverTheStoredRecord_LeavesAColumnAnotherWriteChangedAsThatWriteLeftIt()
    {
        // Two writers read the same version; neither moves it, so both pass the version guard. Each writes
        // only the column it changed, so the second does not put back the title the first one replaced.
        var stored = NewTask("task_1") with { Description = "as planned" };
        await InsertAsync(stored);
        await WriteAsync(unit => unit.Tasks.UpdateAsync(stored with { Title = "Renamed by the first writer" }, stored, Ct));

        await WriteAsync(unit => unit.Tasks.UpdateAsync(stored with { Description = "Described by the second writer" }, stored, Ct));

        (await GetTaskAsync("task_1")).ShouldBe(stored with { Title = "Renamed by the first writer", Description = "Described by the second writer" });
    }

    [Fact]
    public async Task UpdateAsync_OverTheStoredRecordWithNoChange_StillChecksTheVersion()
    {
        var stored = NewTask("task_1");
        await InsertAsync(stored);
        await WriteAsync(unit => unit.Tasks.UpdateAsync(stored, stored, Ct));
        (await GetTaskAsync("task_1")).ShouldBe(stored);

        var moved = stored with { Title = "Moved on", Version = 2 };
        await WriteAsync(unit => unit.Tasks.UpdateAsync(moved, stored, Ct));
        var ex = await Should.ThrowAsync<OrchestratorException>(async () =>
            await WriteAsync(unit => unit.Tasks.UpdateAsync(stored, stored, Ct)));

        ex.Error.Code.ShouldBe(ErrorCodes.VersionConflict);
        (await GetTaskAsync("task_1")).ShouldBe(moved);
    }

    [Fact]
    public async Task UpdateAsync_OverAnotherTasksRecord_ThrowsArgumentExceptionAndChangesNothing()
    {
        var first = NewTask("task_1");
        var second = NewTask("task_2");
        await InsertAsync(first, second);

        await Should.ThrowAsync<ArgumentException>(async () =>
            await WriteAsync(unit => unit.Tasks.UpdateAsync(first with { Title = "Over the wrong task" }, second, Ct)));

        (await GetTaskAsync("task_1")).ShouldBe(first);
        (await GetTaskAsync("task_2")).ShouldBe(second);
    }

    [Fact]
    public async Task UpdateAsync_OverAStaleStoredRecord_ThrowsVersionConflictAndChangesNothing()
    {
        var stored = NewTask("task_1");
        await InsertAsync(stored);
        var first = stored with { Title = "First writer", Version = 2 };
        await WriteAsync(unit => unit.Tasks.UpdateAsync(first, stored, Ct));

        var ex = await Should.ThrowAsync<OrchestratorException>(async () =>
            await WriteAsync(unit => unit.Tasks.UpdateAsync(stored with { Status = TaskItemStatus.Blocked, Version = 2 }, stored, Ct)));

        ex.Error.Code.ShouldBe(ErrorCodes.VersionConflict);
        (await GetTaskAsync("task_1")).ShouldBe(first);
    }

    [Fact]
    public async Task UpdateAsync_TaskDoesNotExist_ThrowsNotFound()
    {
        var ex = await Should.ThrowAsync<OrchestratorException>(async () =>
            await WriteAsync(unit => unit.Tasks.UpdateAsync(NewTask("task_ghost") with { Version = 2 }, 1, Ct)));

        ex.Error.Code.ShouldBe(ErrorCodes.NotFound);
    }

    [Fact]
    public async Task DeleteAsync_WholeSubtree_RemovesTasksTheirArtifactsAndEveryEdgeTouchingThem()
    {
        await InsertAsync(
            NewTask("task_root"),
            NewTask("task_child") with { ParentId = "task_root" },
            NewTask("task_grandchild") with { ParentId = "task_child" },
            NewTask("task_outside"));
        await AddDependencyAsync("task_outside", "task_child");
        await AddDependencyAsync("task_grandchild", "task_outside");
        await WriteAsync(async unit =>
        {
            await unit.Artifacts.InsertAsync(NewArtifact("art_1", "task_child", "work"), Ct);
            await unit.Artifacts.InsertAsync(NewArtifact("art_2", "task_outside", "kept"), Ct);
        });

        // Children first, to show the order of the ids does not matter.
        await WriteAsync(unit => unit.Tasks.DeleteAsync(["task_grandchild", "task_root", "task_child"], Ct));

        var remaining = await ReadAsync(unit => unit.Tasks.GetAllNodesAsync(Ct));
        remaining.Select(n => n.Id).ShouldBe(["task_outside"]);
        (await ReadAsync(unit => unit.Dependencies.GetAllAsync(Ct))).ShouldBeEmpty();
        var artifacts = await ReadAsync(unit => unit.Artifacts.GetAfterAsync(null, 10, includeContent: false, Ct));
        artifacts.Select(a => a.Id).ShouldBe(["art_2"]);
    }

    [Fact]
    public async Task GetChildrenAsync_SeveralParents_ReturnsDirectChildrenOfEachOldestFirst()
    {
        await InsertAsync(
            NewTask("task_p1"),
            NewTask("task_p2"),
            NewTask("task_c3") with { ParentId = "task_p2" },
            NewTask("task_c1") with { ParentId = "task_p1" },
            NewTask("task_g1") with { ParentId = "task_c1" },
            NewTask("task_c2") with { ParentId = "task_p1" });

        var children = await ReadAsync(unit => unit.Tasks.GetChildrenAsync(["task_p1", "task_p2"], Ct));

        children.Select(t => t.Id).ShouldBe(["task_c3", "task_c1", "task_c2"]);
    }

    [Fact]
    public async Task GetDescendantsAsync_ThreeLevels_ReturnsEveryDescendantExceptTheRootOldestFirst()
    {
        await InsertAsync(
            NewTask("task_root"),
            NewTask("task_a") with { ParentId = "task_root" },
            NewTask("task_other"),
            NewTask("task_b") with { ParentId = "task_root" },
            NewTask("task_a1") with { ParentId = "task_a" },
            NewTask("task_a1x") with { ParentId = "task_a1" },
            NewTask("task_elsewhere") with { ParentId = "task_other" });

        var descendants = await ReadAsync(unit => unit.Tasks.GetDescendantsAsync("task_root", Ct));

        descendants.Select(t => t.Id).ShouldBe(["task_a", "task_b", "task_a1", "task_a1x"]);
    }

    [Fact]
    public async Task CountOpenWorkAsync_CountsOnlyPendingAndInProgressTasks()
    {
        await InsertAsync(
            NewTask("task_1"),
            NewTask("task_2") with { Status = TaskItemStatus.InProgress },
            NewTask("task_3") with { Status = TaskItemStatus.Completed, CompletedAt = Start },
            NewTask("task_4") with { Status = TaskItemStatus.Blocked },
            NewTask("task_5") with { Status = TaskItemStatus.Archived },
            NewTask("task_6"),
            NewTask("task_7") with { Status = TaskItemStatus.InProgress },
            NewTask("task_8"));

        var open = await ReadAsync(unit => unit.Tasks.CountOpenWorkAsync(10, Ct));

        open.ShouldBe((3, 2));
    }

    [Fact]
    public async Task CountOpenWorkAsync_MoreThanTheCap_CountsEachStatusUpToTheCap()
    {
        await InsertAsync(
            NewTask("task_1"),
            NewTask("task_2"),
            NewTask("task_3"),
            NewTask("task_4") with { Status = TaskItemStatus.InProgress },
            NewTask("task_5") with { Status = TaskItemStatus.InProgress },
            NewTask("task_6") with { Status = TaskItemStatus.Blocked });

        (await ReadAsync(unit => unit.Tasks.CountOpenWorkAsync(2, Ct))).ShouldBe((2, 2));
        (await ReadAsync(unit => unit.Tasks.CountOpenWorkAsync(3, Ct))).ShouldBe((3, 2));
    }

    [Fact]
    public async Task CountByStatusAsync_WorkspaceAndSession_CountsEveryStatusPresent()
    {
        await WriteAsync(unit => unit.Sessions.InsertAsync(NewSession("ses_1"), Ct));
        await InsertAsync(
            NewTask("task_1") with { SessionId = "ses_1" },
            NewTask("task_2") with { SessionId = "ses_1", Status = TaskItemStatus.Completed, CompletedAt = Start },
            NewTask("task_3") with { SessionId = "ses_1", Status = TaskItemStatus.Completed, CompletedAt = Start },
            NewTask("task_4") with { Status = TaskItemStatus.Archived },
            NewTask("task_5"));

        var all = await ReadAsync(unit => unit.Tasks.CountByStatusAsync(null, Ct));
        var session = await ReadAsync(unit => unit.Tasks.CountByStatusAsync("ses_1", Ct));

        all.OrderBy(p => p.Key).ShouldBe(
        [
            new(TaskItemStatus.Pending, 2),
            new(TaskItemStatus.Completed, 2),
            new(TaskItemStatus.Archived, 1),
        ]);
        session.OrderBy(p => p.Key).ShouldBe(
        [
            new(TaskItemStatus.Pending, 1),
            new(TaskItemStatus.Completed, 2),
        ]);
    }

    [Fact]
    public async Task CountBySpecialistAsync_WorkspaceAndSession_CountsEachRoleAndStatus()
    {
        await WriteAsync(unit => unit.Sessions.InsertAsync(NewSession("ses_1"), Ct));
        await InsertAsync(
            NewTask("task_1") with { SpecialistType = "tester", SessionId = "ses_1" },
            NewTask("task_2") with { SpecialistType = "tester", SessionId = "ses_1" },
            NewTask("task_3") with { SpecialistType = "tester", Status = TaskItemStatus.Blocked },
            NewTask("task_4") with { SpecialistType = "architect", SessionId = "ses_1", Status = TaskItemStatus.InProgress });

        var all = await ReadAsync(unit => unit.Tasks.CountBySpecialistAsync(null, Ct));
        var session = await ReadAsync(unit => unit.Tasks.CountBySpecialistAsync("ses_1", Ct));

        all.ShouldBe(
        [
            new SpecialistStatusCount("architect", TaskItemStatus.InProgress, 1),
            new SpecialistStatusCount("tester", TaskItemStatus.Pending, 2),
            new SpecialistStatusCount("tester", TaskItemStatus.Blocked, 1),
        ], ignoreOrder: true);
        session.ShouldBe(
        [
            new SpecialistStatusCount("architect", TaskItemStatus.InProgress, 1),
            new SpecialistStatusCount("tester", TaskItemStatus.Pending, 2),
        ], ignoreOrder: true);
    }

    [Fact]
    public async Task GetOrphansAsync_OpenTasksUnderCancelledOrArchivedParents_ReturnsOnlyThose()
    {
        await InsertAsync(
            NewTask("task_cancelled") with { Status = TaskItemStatus.Cancelled },
            NewTask("task_archived") with { Status = TaskItemStatus.Archived },
            NewTask("task_completed") with { Status = TaskItemStatus.Completed, CompletedAt = Start },
            NewTask("task_open"),
            NewTask("orphan_pending") with { ParentId = "task_cancelled" },
            NewTask("orphan_running") with { ParentId = "task_archived", Status = TaskItemStatus.InProgress },
            NewTask("orphan_blocked") with { ParentId = "task_cancelled", Status = TaskItemStatus.Blocked },
            NewTask("ended_child") with { ParentId = "task_cancelled", Status = TaskItemStatus.Cancelled },
            NewTask("under_completed") with { ParentId = "task_completed" },
            NewTask("under_open") with { ParentId = "task_open" });

        var orphans = await ReadAsync(unit => unit.Tasks.GetOrphansAsync(10, Ct));
        var limited = await ReadAsync(unit => unit.Tasks.GetOrphansAsync(2, Ct));

        orphans.Select(t => t.Id).Order(StringComparer.Ordinal).ShouldBe(["orphan_blocked", "orphan_pending", "orphan_running"]);
        limited.Count.ShouldBe(2);
    }

    [Fact]
    public async Task GetStaleInProgressAsync_Cutoff_ReturnsInProgressTasksLastChangedBeforeIt()
    {
        await InsertAsync(
            NewTask("task_old") with { Status = TaskItemStatus.InProgress, UpdatedAt = Start.AddHours(-3) },
            NewTask("task_older") with { Status = TaskItemStatus.InProgress, UpdatedAt = Start.AddHours(-5) },
            NewTask("task_at_cutoff") with { Status = TaskItemStatus.InProgress, UpdatedAt = Start.AddHours(-2) },
            NewTask("task_fresh") with { Status = TaskItemStatus.InProgress, UpdatedAt = Start },
            NewTask("task_old_pending") with { UpdatedAt = Start.AddHours(-9) });

        var stale = await ReadAsync(unit => unit.Tasks.GetStaleInProgressAsync(Start.AddHours(-2), 10, Ct));
        var limited = await ReadAsync(unit => unit.Tasks.GetStaleInProgressAsync(Start.AddHours(-2), 1, Ct));

        stale.Select(t => t.Id).Order(StringComparer.Ordinal).ShouldBe(["task_old", "task_older"]);
        limited.Count.ShouldBe(1);
    }

    [Fact]
    public async Task GetAllNodesAsync_Tasks_ReturnsTreeStatusAndWhetherEachSatisfiesDependents()
    {
        await WriteAsync(unit => unit.Sessions.InsertAsync(NewSession("ses_1"), Ct));
        await InsertAsync(
            NewTask("task_root") with { SessionId = "ses_1" },
            NewTask("task_done") with { ParentId = "task_root", Status = TaskItemStatus.Completed, CompletedAt = Start },
            NewTask("task_kept") with { ParentId = "task_root", Status = TaskItemStatus.Archived, CompletedAt = Start },
            NewTask("task_dropped") with { Status = TaskItemStatus.Archived });

        var nodes = await ReadAsync(unit => unit.Tasks.GetAllNodesAsync(Ct));

        nodes.ShouldBe(
        [
            new TaskNode("task_root", null, "ses_1", TaskItemStatus.Pending, false),
            new TaskNode("task_done", "task_root", null, TaskItemStatus.Completed, true),
            new TaskNode("task_kept", "task_root", null, TaskItemStatus.Archived, true),
            new TaskNode("task_dropped", null, null, TaskItemStatus.Archived, false),
        ], ignoreOrder: true);
    }
}
