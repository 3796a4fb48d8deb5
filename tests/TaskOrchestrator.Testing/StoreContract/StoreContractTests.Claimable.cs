using Shouldly;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Claims;

namespace TaskOrchestrator.Testing.StoreContract;

// Which tasks a claim hands out next, and in what order.
public abstract partial class StoreContractTests
{
    private static readonly ClaimFilter AnyTask = new([], [], null);

    [Fact]
    public async Task FindClaimableAsync_MixedTasks_ReadyPendingTasksOnlyBestFirstUpToTheLimit()
    {
        await InsertAsync(
            NewTask("task_low") with { Priority = TaskPriority.Low },
            NewTask("task_high_complex") with { Priority = TaskPriority.High, Complexity = TaskComplexity.Complex },
            NewTask("task_high_simple") with { Priority = TaskPriority.High, Complexity = TaskComplexity.Simple },
            NewTask("task_medium_older"),
            NewTask("task_medium_newer"),
            NewTask("task_critical_running") with { Priority = TaskPriority.Critical, Status = TaskItemStatus.InProgress },
            NewTask("task_critical_waiting") with { Priority = TaskPriority.Critical },
            NewTask("task_critical_parent") with { Priority = TaskPriority.Critical },
            NewTask("task_open_child") with { ParentId = "task_critical_parent", Status = TaskItemStatus.Blocked },
            NewTask("task_done") with { Status = TaskItemStatus.Completed, CompletedAt = Time.Now() },
            NewTask("task_after_done") with { Priority = TaskPriority.Critical });
        await AddDependencyAsync("task_critical_waiting", "task_medium_older");
        await AddDependencyAsync("task_after_done", "task_done");

        string[] best = [], all = [];
        await WriteAsync(async unit =>
        {
            best = [.. (await unit.Tasks.FindClaimableAsync(AnyTask, 3, Ct)).Select(t => t.Id)];
            all = [.. (await unit.Tasks.FindClaimableAsync(AnyTask, 100, Ct)).Select(t => t.Id)];
        });

        best.ShouldBe(["task_after_done", "task_high_simple", "task_high_complex"]);
        all.ShouldBe(["task_after_done", "task_high_simple", "task_high_complex", "task_medium_older", "task_medium_newer", "task_low"]);
    }

    [Fact]
    public async Task FindClaimableAsync_Filters_OnlyTheRolesTypesAndSubtreeAsked()
    {
        await InsertAsync(
            NewTask("task_tester") with { SpecialistType = "tester", Type = TaskType.Testing },
            NewTask("task_tester_docs") with { SpecialistType = "tester", Type = TaskType.Documentation },
            NewTask("task_writer") with { SpecialistType = "documenter", Type = TaskType.Documentation },
            NewTask("task_root") with { Status = TaskItemStatus.InProgress },
            NewTask("task_inner") with { ParentId = "task_root", Status = TaskItemStatus.InProgress },
            NewTask("task_deep") with { ParentId = "task_inner", SpecialistType = "tester", Type = TaskType.Testing });

        var found = new Dictionary<string, string[]>();
        await WriteAsync(async unit =>
        {
            async Task Find(string name, ClaimFilter filter) =>
                found[name] = [.. (await unit.Tasks.FindClaimableAsync(filter, 10, Ct)).Select(t => t.Id)];
            await Find("testers", new ClaimFilter(["tester"], [], null));
            await Find("documentation", new ClaimFilter([], [TaskType.Documentation], null));
            await Find("tester documentation", new ClaimFilter(["tester"], [TaskType.Documentation], null));
            await Find("under root", new ClaimFilter([], [], "task_root"));
            await Find("nobody", new ClaimFilter(["architect"], [], null));
        });

        found["testers"].ShouldBe(["task_tester", "task_tester_docs", "task_deep"]);
        found["documentation"].ShouldBe(["task_tester_docs", "task_writer"]);
        found["tester documentation"].ShouldBe(["task_tester_docs"]);
        found["under root"].ShouldBe(["task_deep"]);
        found["nobody"].ShouldBeEmpty();
    }
}
