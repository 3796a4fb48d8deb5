using Shouldly;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Testing.StoreContract;

// The hold on work in progress: which server instance holds a task, until when, and the lookups
// that reclaim expired holds and release the work of a dead instance.
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task InsertAsync_TaskWithHolderAndLease_GetAsyncReturnsAnEqualRecord()
    {
        var task = InProgress("task_1", "inst_a", Start.AddMinutes(30));

        await InsertAsync(task);

        (await GetTaskAsync("task_1")).ShouldBe(task);
    }

    [Fact]
    public async Task UpdateAsync_LeaseRenewedThenReleased_EachChangeReadsBack()
    {
        var task = InProgress("task_1", "inst_a", Start.AddMinutes(30));
        await InsertAsync(task);
        var renewed = task with { HolderInstanceId = "inst_b", LeaseExpiresAt = Start.AddHours(2), Version = 2 };

        await WriteAsync(unit => unit.Tasks.UpdateAsync(renewed, 1, Ct));
        var afterRenewal = await GetTaskAsync("task_1");
        var released = renewed with { Status = TaskItemStatus.Pending, HolderInstanceId = null, LeaseExpiresAt = null, Version = 3 };
        await WriteAsync(unit => unit.Tasks.UpdateAsync(released, 2, Ct));

        afterRenewal.ShouldBe(renewed);
        (await GetTaskAsync("task_1")).ShouldBe(released);
    }

    [Fact]
    public async Task GetExpiredLeasesAsync_MixedTasks_OnlyInProgressWithLeaseBeforeNowOldestExpiryFirst()
    {
        var now = Start.AddHours(1);
        await InsertAsync(
            InProgress("task_expired_late", "inst_a", now.AddMinutes(-1)),
            InProgress("task_live", "inst_a", now.AddMinutes(5)),
            InProgress("task_expiring_now", "inst_a", now),
            InProgress("task_expired_early", "inst_b", now.AddMinutes(-50)),
            NewTask("task_in_progress_no_lease") with { Status = TaskItemStatus.InProgress, StartedAt = Start },
            InProgress("task_completed_stale_lease", "inst_a", now.AddMinutes(-40)) with { Status = TaskItemStatus.Completed, CompletedAt = Start },
            InProgress("task_blocked_stale_lease", "inst_a", now.AddMinutes(-30)) with { Status = TaskItemStatus.Blocked },
            InProgress("task_expired_mid", "inst_c", now.AddMinutes(-20)));

        var expired = await ReadAsync(unit => unit.Tasks.GetExpiredLeasesAsync(now, 10, Ct));

        expired.Select(t => t.Id).ShouldBe(["task_expired_early", "task_expired_mid", "task_expired_late"]);
        expired[0].ShouldBe(InProgress("task_expired_early", "inst_b", now.AddMinutes(-50)));
    }

    [Fact]
    public async Task GetExpiredLeasesAsync_Limit_ReturnsTheOldestExpiriesOnly()
    {
        var now = Start.AddHours(1);
        await InsertAsync(
            InProgress("task_3", "inst_a", now.AddMinutes(-3)),
            InProgress("task_1", "inst_a", now.AddMinutes(-10)),
            InProgress("task_2", "inst_a", now.AddMinutes(-5)));

        var expired = await ReadAsync(unit => unit.Tasks.GetExpiredLeasesAsync(now, 2, Ct));

        expired.Select(t => t.Id).ShouldBe(["task_1", "task_2"]);
    }

    [Fact]
    public async Task GetExpiredLeasesAsync_NothingExpired_ReturnsEmpty()
    {
        await InsertAsync(InProgress("task_1", "inst_a", Start.AddMinutes(10)), NewTask("task_2"));

        (await ReadAsync(unit => unit.Tasks.GetExpiredLeasesAsync(Start, 10, Ct))).ShouldBeEmpty();
    }

    [Fact]
    public async Task GetHeldByAsync_SeveralHolders_OnlyInProgressTasksOfTheNamedInstances()
    {
        await InsertAsync(
            InProgress("task_a1", "inst_a", Start.AddMinutes(10)),
            InProgress("task_b1", "inst_b", Start.AddMinutes(-10)),
            InProgress("task_c1", "inst_c", Start.AddMinutes(10)),
            InProgress("task_a_done", "inst_a", Start.AddMinutes(10)) with { Status = TaskItemStatus.Completed, CompletedAt = Start },
            InProgress("task_a_failed", "inst_a", Start.AddMinutes(10)) with { Status = TaskItemStatus.Failed },
            NewTask("task_unheld") with { Status = TaskItemStatus.InProgress, StartedAt = Start },
            InProgress("task_a2", "inst_a", null));

        var held = await ReadAsync(unit => unit.Tasks.GetHeldByAsync(["inst_a", "inst_b", "inst_missing"], 10, Ct));

        // The contract names no order for this lookup.
        held.Select(t => t.Id).ShouldBe(["task_a1", "task_b1", "task_a2"], ignoreOrder: true);
        held.Single(t => t.Id == "task_b1").ShouldBe(InProgress("task_b1", "inst_b", Start.AddMinutes(-10)));
    }

    [Fact]
    public async Task GetHeldByAsync_Limit_ReturnsAtMostThatMany()
    {
        await InsertAsync(
            InProgress("task_1", "inst_a", Start.AddMinutes(10)),
            InProgress("task_2", "inst_a", Start.AddMinutes(10)),
            InProgress("task_3", "inst_a", Start.AddMinutes(10)));

        var held = await ReadAsync(unit => unit.Tasks.GetHeldByAsync(["inst_a"], 2, Ct));

        held.Count.ShouldBe(2);
        held.Select(t => t.Id).Distinct().Count().ShouldBe(2);
        held.Select(t => t.Id).ShouldBeSubsetOf(["task_1", "task_2", "task_3"]);
    }

    [Fact]
    public async Task GetHeldByAsync_NoInstanceIdsOrUnknownIds_ReturnsEmpty()
    {
        await InsertAsync(InProgress("task_1", "inst_a", Start.AddMinutes(10)));

        (await ReadAsync(unit => unit.Tasks.GetHeldByAsync([], 10, Ct))).ShouldBeEmpty();
        (await ReadAsync(unit => unit.Tasks.GetHeldByAsync(["inst_b"], 10, Ct))).ShouldBeEmpty();
    }

    /// <summary>A task in progress, started at <see cref="Start"/>, held through <paramref name="holder"/> until <paramref name="leaseExpiresAt"/>.</summary>
    private TaskRecord InProgress(string id, string holder, DateTimeOffset? leaseExpiresAt) => NewTask(id) with
    {
        Status = TaskItemStatus.InProgress,
        StartedAt = Start,
        AssignedAgent = "agent-1",
        HolderInstanceId = holder,
        LeaseExpiresAt = leaseExpiresAt,
    };
}
