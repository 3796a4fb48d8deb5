using Shouldly;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Testing.StoreContract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task AddAsync_NewEdge_GetDependenciesReturnsItWithTheTargetsState()
    {
        await InsertAsync(NewTask("task_a"), NewTask("task_b", "Design the schema") with { Status = TaskItemStatus.InProgress });

        await AddDependencyAsync("task_a", "task_b");

        var states = await ReadAsync(unit => unit.Dependencies.GetDependenciesAsync(["task_a"], Ct));
        states.ShouldBe([new DependencyState("task_a", "task_b", DependencyKind.Hard, "Design the schema", TaskItemStatus.InProgress, false)]);
    }

    [Fact]
    public async Task AddAsync_EdgeAlreadyExists_UpdatesItsKindWithoutDuplicating()
    {
        await InsertAsync(NewTask("task_a"), NewTask("task_b"));
        await AddDependencyAsync("task_a", "task_b", DependencyKind.Hard);

        await AddDependencyAsync("task_a", "task_b", DependencyKind.Soft);

        (await ReadAsync(unit => unit.Dependencies.GetAllAsync(Ct))).ShouldBe([new TaskDependency("task_a", "task_b", DependencyKind.Soft)]);
    }

    [Fact]
    public async Task RemoveAsync_ExistingEdge_ReturnsTrueAndRemovesOnlyThatEdge()
    {
        await InsertAsync(NewTask("task_a"), NewTask("task_b"), NewTask("task_c"));
        await AddDependencyAsync("task_a", "task_b");
        await AddDependencyAsync("task_a", "task_c");

        bool removed = false;
        await WriteAsync(async unit => removed = await unit.Dependencies.RemoveAsync("task_a", "task_b", Ct));

        removed.ShouldBeTrue();
        (await ReadAsync(unit => unit.Dependencies.GetAllAsync(Ct))).ShouldBe([new TaskDependency("task_a", "task_c")]);
    }

    [Fact]
    public async Task RemoveAsync_EdgeDoesNotExist_ReturnsFalse()
    {
        await InsertAsync(NewTask("task_a"), NewTask("task_b"));
        await AddDependencyAsync("task_a", "task_b");

        bool removed = true;
        await WriteAsync(async unit => removed = await unit.Dependencies.RemoveAsync("task_b", "task_a", Ct));

        removed.ShouldBeFalse();
        (await ReadAsync(unit => unit.Dependencies.GetAllAsync(Ct))).Count.ShouldBe(1);
    }

    [Fact]
    public async Task GetDependenciesAsync_TargetsInEveryStatus_SatisfiedOnlyWhenCompletedOrArchivedAfterCompleting()
    {
        await InsertAsync(
            NewTask("task_t"),
            NewTask("d_pending", "pending"),
            NewTask("d_progress", "progress") with { Status = TaskItemStatus.InProgress },
            NewTask("d_blocked", "blocked") with { Status = TaskItemStatus.Blocked },
            NewTask("d_completed", "completed") with { Status = TaskItemStatus.Completed, CompletedAt = Start },
            NewTask("d_failed", "failed") with { Status = TaskItemStatus.Failed },
            NewTask("d_cancelled", "cancelled") with { Status = TaskItemStatus.Cancelled },
            NewTask("d_archived_done", "archived done") with { Status = TaskItemStatus.Archived, CompletedAt = Start },
            NewTask("d_archived", "archived") with { Status = TaskItemStatus.Archived });
        foreach (var id in new[] { "d_pending", "d_progress", "d_blocked", "d_completed", "d_failed", "d_cancelled", "d_archived_done", "d_archived" })
        {
            await AddDependencyAsync("task_t", id);
        }

        var states = await ReadAsync(unit => unit.Dependencies.GetDependenciesAsync(["task_t"], Ct));

        states.OrderBy(s => s.DependsOnId, StringComparer.Ordinal).ShouldBe(
        [
            new DependencyState("task_t", "d_archived", DependencyKind.Hard, "archived", TaskItemStatus.Archived, false),
            new DependencyState("task_t", "d_archived_done", DependencyKind.Hard, "archived done", TaskItemStatus.Archived, true),
            new DependencyState("task_t", "d_blocked", DependencyKind.Hard, "blocked", TaskItemStatus.Blocked, false),
            new DependencyState("task_t", "d_cancelled", DependencyKind.Hard, "cancelled", TaskItemStatus.Cancelled, false),
            new DependencyState("task_t", "d_completed", DependencyKind.Hard, "completed", TaskItemStatus.Completed, true),
            new DependencyState("task_t", "d_failed", DependencyKind.Hard, "failed", TaskItemStatus.Failed, false),
            new DependencyState("task_t", "d_pending", DependencyKind.Hard, "pending", TaskItemStatus.Pending, false),
            new DependencyState("task_t", "d_progress", DependencyKind.Hard, "progress", TaskItemStatus.InProgress, false),
        ]);
    }

    [Fact]
    public async Task GetDependenciesAsync_SeveralTasks_ReturnsTheEdgesOfThoseTasksOnly()
    {
        await InsertAsync(NewTask("task_a"), NewTask("task_b"), NewTask("task_c"), NewTask("task_d"));
        await AddDependencyAsync("task_a", "task_d");
        await AddDependencyAsync("task_b", "task_d", DependencyKind.Soft);
        await AddDependencyAsync("task_c", "task_d");

        var states = await ReadAsync(unit => unit.Dependencies.GetDependenciesAsync(["task_a", "task_b"], Ct));

        states.Select(s => (s.TaskId, s.DependsOnId, s.Kind)).ShouldBe(
            [("task_a", "task_d", DependencyKind.Hard), ("task_b", "task_d", DependencyKind.Soft)], ignoreOrder: true);
    }

    [Fact]
    public async Task GetDependentsAsync_Targets_ReturnsEveryEdgePointingAtThem()
    {
        await InsertAsync(NewTask("task_a"), NewTask("task_b"), NewTask("task_c"), NewTask("task_d"));
        await AddDependencyAsync("task_b", "task_a");
        await AddDependencyAsync("task_c", "task_a", DependencyKind.Soft);
        await AddDependencyAsync("task_d", "task_b");

        var ofA = await ReadAsync(unit => unit.Dependencies.GetDependentsAsync(["task_a"], Ct));
        var ofAAndB = await ReadAsync(unit => unit.Dependencies.GetDependentsAsync(["task_a", "task_b"], Ct));
        var ofD = await ReadAsync(unit => unit.Dependencies.GetDependentsAsync(["task_d"], Ct));

        ofA.ShouldBe([new TaskDependency("task_b", "task_a"), new TaskDependency("task_c", "task_a", DependencyKind.Soft)], ignoreOrder: true);
        ofAAndB.ShouldBe(
            [new TaskDependency("task_b", "task_a"), new TaskDependency("task_c", "task_a", DependencyKind.Soft), new TaskDependency("task_d", "task_b")],
            ignoreOrder: true);
        ofD.ShouldBeEmpty();
    }

    [Fact]
    public async Task FindPathAsync_ChainExists_ReturnsTheIdsAlongItBothEndsIncluded()
    {
        var ids = Enumerable.Range(0, 40).Select(i => $"task_{i:00}").ToArray();
        await InsertAsync([.. ids.Select(id => NewTask(id))]);
        await WriteAsync(async unit =>
        {
            for (int i = 0; i + 1 < ids.Length; i++)
            {
                await unit.Dependencies.AddAsync(new TaskDependency(ids[i], ids[i + 1]), Ct);
            }
        });

        var path = await ReadAsync(unit => unit.Dependencies.FindPathAsync(ids[0], ids[^1], Ct));

        path.ShouldBe(ids);
    }

    [Fact]
    public async Task FindPathAsync_DiamondWithOtherBranches_ReturnsARealPathBetweenTheEnds()
    {
        await InsertAsync(NewTask("task_a"), NewTask("task_b"), NewTask("task_c"), NewTask("task_d"), NewTask("task_e"), NewTask("task_x"));
        var edges = new[]
        {
            new TaskDependency("task_a", "task_b"),
            new TaskDependency("task_a", "task_c"),
            new TaskDependency("task_b", "task_d"),
            new TaskDependency("task_c", "task_d"),
            new TaskDependency("task_d", "task_e"),
            new TaskDependency("task_a", "task_x"),
        };
        await WriteAsync(async unit =>
        {
            foreach (var edge in edges)
            {
                await unit.Dependencies.AddAsync(edge, Ct);
            }
        });

        var path = await ReadAsync(unit => unit.Dependencies.FindPathAsync("task_a", "task_e", Ct));

        path.ShouldNotBeNull();
        path.Count.ShouldBe(4);
        path[0].ShouldBe("task_a");
        path[^1].ShouldBe("task_e");
        for (int i = 0; i + 1 < path.Count; i++)
        {
            edges.ShouldContain(new TaskDependency(path[i], path[i + 1]));
        }
    }

    [Fact]
    public async Task FindPathAsync_OnlyTheReverseDirectionConnects_ReturnsNull()
    {
        await InsertAsync(NewTask("task_a"), NewTask("task_b"), NewTask("task_c"), NewTask("task_lone"));
        await AddDependencyAsync("task_a", "task_b");
        await AddDependencyAsync("task_b", "task_c");

        (await ReadAsync(unit => unit.Dependencies.FindPathAsync("task_c", "task_a", Ct))).ShouldBeNull();
        (await ReadAsync(unit => unit.Dependencies.FindPathAsync("task_a", "task_lone", Ct))).ShouldBeNull();
    }

    [Fact]
    public async Task GetAllAsync_Edges_ReturnsEveryEdgeWithItsKind()
    {
        await InsertAsync(NewTask("task_a"), NewTask("task_b"), NewTask("task_c"));
        await AddDependencyAsync("task_c", "task_a");
        await AddDependencyAsync("task_a", "task_b", DependencyKind.Soft);
        await AddDependencyAsync("task_c", "task_b");

        (await ReadAsync(unit => unit.Dependencies.GetAllAsync(Ct))).ShouldBe(
            [new TaskDependency("task_a", "task_b", DependencyKind.Soft), new TaskDependency("task_c", "task_a"), new TaskDependency("task_c", "task_b")],
            ignoreOrder: true);
    }
}
