using Shouldly;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Testing.StoreContract;

// One test per TaskQuery filter: a backend that ignores a filter fails exactly one test, by name.
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task QueryAsync_NoFilters_ReturnsEveryTaskButArchivedOnesInCreationOrder()
    {
        await InsertAsync(
            NewTask("task_c"),
            NewTask("task_archived") with { Status = TaskItemStatus.Archived },
            NewTask("task_a") with { Status = TaskItemStatus.Completed, CompletedAt = Start },
            NewTask("task_b") with { Status = TaskItemStatus.Cancelled });

        var page = await QueryAsync(new TaskQuery());

        page.Items.Select(t => t.Id).ShouldBe(["task_c", "task_a", "task_b"]);
        page.TotalCount.ShouldBe(3);
    }

    [Fact]
    public async Task QueryAsync_IncludeArchived_ReturnsArchivedTasksToo()
    {
        await InsertAsync(
            NewTask("task_1"),
            NewTask("task_archived") with { Status = TaskItemStatus.Archived },
            NewTask("task_2"));

        (await QueryIdsAsync(new TaskQuery { IncludeArchived = true })).ShouldBe(["task_1", "task_archived", "task_2"]);
    }

    [Fact]
    public async Task QueryAsync_StatusFilterNamesArchived_ReturnsArchivedWithoutIncludeArchived()
    {
        await InsertAsync(
            NewTask("task_1"),
            NewTask("task_archived") with { Status = TaskItemStatus.Archived });

        (await QueryIdsAsync(new TaskQuery { Statuses = [TaskItemStatus.Archived] })).ShouldBe(["task_archived"]);
    }

    [Fact]
    public async Task QueryAsync_Statuses_ReturnsOnlyTasksInThoseStatuses()
    {
        await InsertAsync(
            NewTask("task_pending"),
            NewTask("task_blocked") with { Status = TaskItemStatus.Blocked, StatusReason = "waiting" },
            NewTask("task_completed") with { Status = TaskItemStatus.Completed, CompletedAt = Start },
            NewTask("task_failed") with { Status = TaskItemStatus.Failed });

        (await QueryIdsAsync(new TaskQuery { Statuses = [TaskItemStatus.Completed, TaskItemStatus.Blocked] }))
            .ShouldBe(["task_blocked", "task_completed"]);
    }

    [Fact]
    public async Task QueryAsync_Types_ReturnsOnlyTasksOfThoseTypes()
    {
        await InsertAsync(
            NewTask("task_research") with { Type = TaskType.Research },
            NewTask("task_standard"),
            NewTask("task_testing") with { Type = TaskType.Testing },
            NewTask("task_review") with { Type = TaskType.Review });

        (await QueryIdsAsync(new TaskQuery { Types = [TaskType.Testing, TaskType.Research] })).ShouldBe(["task_research", "task_testing"]);
    }

    [Fact]
    public async Task QueryAsync_SpecialistTypes_ReturnsOnlyTasksOfThoseRoles()
    {
        await InsertAsync(
            NewTask("task_1") with { SpecialistType = "tester" },
            NewTask("task_2") with { SpecialistType = "architect" },
            NewTask("task_3"),
            NewTask("task_4") with { SpecialistType = "tester" });

        (await QueryIdsAsync(new TaskQuery { SpecialistTypes = ["tester"] })).ShouldBe(["task_1", "task_4"]);
    }

    [Fact]
    public async Task QueryAsync_Complexities_ReturnsOnlyTasksOfThoseComplexities()
    {
        await InsertAsync(
            NewTask("task_trivial") with { Complexity = TaskComplexity.Trivial },
            NewTask("task_moderate"),
            NewTask("task_very") with { Complexity = TaskComplexity.VeryComplex });

        (await QueryIdsAsync(new TaskQuery { Complexities = [TaskComplexity.VeryComplex, TaskComplexity.Trivial] }))
            .ShouldBe(["task_trivial", "task_very"]);
    }

    [Fact]
    public async Task QueryAsync_Priorities_ReturnsOnlyTasksOfThosePriorities()
    {
        await InsertAsync(
            NewTask("task_low") with { Priority = TaskPriority.Low },
            NewTask("task_medium"),
            NewTask("task_critical") with { Priority = TaskPriority.Critical });

        (await QueryIdsAsync(new TaskQuery { Priorities = [TaskPriority.Critical] })).ShouldBe(["task_critical"]);
    }

    [Fact]
    public async Task QueryAsync_ParentId_ReturnsOnlyDirectChildrenOfThatTask()
    {
        await SeedTreeAsync();

        (await QueryIdsAsync(new TaskQuery { ParentId = "task_r1" })).ShouldBe(["task_c1", "task_c2"]);
    }

    [Fact]
    public async Task QueryAsync_SubtreeOf_ReturnsTheTaskAndItsDescendantsAtAnyDepthInCreationOrder()
    {
        await SeedTreeAsync();

        (await QueryIdsAsync(new TaskQuery { SubtreeOf = "task_r1" })).ShouldBe(["task_r1", "task_c1", "task_g1", "task_c2"]);
        (await QueryIdsAsync(new TaskQuery { SubtreeOf = "task_c3" })).ShouldBe(["task_c3"]);
    }

    [Fact]
    public async Task QueryAsync_RootsOnly_ReturnsOnlyTasksWithoutParent()
    {
        await SeedTreeAsync();

        (await QueryIdsAsync(new TaskQuery { RootsOnly = true })).ShouldBe(["task_r1", "task_r2"]);
    }

    [Fact]
    public async Task QueryAsync_SessionId_ReturnsOnlyTasksOfThatSession()
    {
        await WriteAsync(async unit =>
        {
            await unit.Sessions.InsertAsync(NewSession("ses_1"), Ct);
            await unit.Sessions.InsertAsync(NewSession("ses_2"), Ct);
        });
        await InsertAsync(
            NewTask("task_1") with { SessionId = "ses_1" },
            NewTask("task_2") with { SessionId = "ses_2" },
            NewTask("task_3"),
            NewTask("task_4") with { SessionId = "ses_1" });

        (await QueryIdsAsync(new TaskQuery { SessionId = "ses_1" })).ShouldBe(["task_1", "task_4"]);
    }

    [Fact]
    public async Task QueryAsync_CreatedAfter_IncludesTasksCreatedAtThatInstant()
    {
        await SeedCreatedOneSecondApartAsync();

        (await QueryIdsAsync(new TaskQuery { CreatedAfter = Start.AddSeconds(1) })).ShouldBe(["task_t1", "task_t2"]);
    }

    [Fact]
    public async Task QueryAsync_CreatedBefore_ExcludesTasksCreatedAtThatInstant()
    {
        await SeedCreatedOneSecondApartAsync();

        (await QueryIdsAsync(new TaskQuery { CreatedBefore = Start.AddSeconds(1) })).ShouldBe(["task_t0"]);
    }

    [Fact]
    public async Task QueryAsync_ReadyOnly_ReturnsPendingTasksWhoseHardDependenciesAreAllSatisfied()
    {
        await SeedReadinessAsync();

        (await QueryIdsAsync(new TaskQuery { ReadyOnly = true }))
            .ShouldBe(["dep_open", "ready_none", "ready_done", "ready_archived_done", "ready_soft"]);
    }

    [Fact]
    public async Task QueryAsync_WaitingOnly_ReturnsPendingTasksWithAnUnsatisfiedHardDependency()
    {
        await SeedReadinessAsync();

        (await QueryIdsAsync(new TaskQuery { WaitingOnly = true }))
            .ShouldBe(["wait_open", "wait_mixed", "wait_archived_undone"]);
    }

    [Fact]
    public async Task QueryAsync_SeveralFilters_ReturnsTasksMatchingAllOfThem()
    {
        await InsertAsync(
            NewTask("task_root"),
            NewTask("task_match") with { ParentId = "task_root", Priority = TaskPriority.High, Status = TaskItemStatus.Blocked },
            NewTask("task_wrong_status") with { ParentId = "task_root", Priority = TaskPriority.High },
            NewTask("task_wrong_priority") with { ParentId = "task_root", Status = TaskItemStatus.Blocked },
            NewTask("task_wrong_parent") with { Priority = TaskPriority.High, Status = TaskItemStatus.Blocked });

        var query = new TaskQuery { ParentId = "task_root", Priorities = [TaskPriority.High], Statuses = [TaskItemStatus.Blocked] };

        (await QueryIdsAsync(query)).ShouldBe(["task_match"]);
    }

    [Fact]
    public async Task QueryAsync_LimitAndOffset_ReturnsThatPageAndTheTotalOfAllPages()
    {
        await InsertAsync(NewTask("task_1"), NewTask("task_2"), NewTask("task_3"), NewTask("task_4"), NewTask("task_5"));

        var first = await QueryAsync(new TaskQuery { Limit = 2 });
        var second = await QueryAsync(new TaskQuery { Limit = 2, Offset = 2 });
        var last = await QueryAsync(new TaskQuery { Limit = 2, Offset = 4 });
        var beyond = await QueryAsync(new TaskQuery { Limit = 2, Offset = 10 });

        first.Items.Select(t => t.Id).ShouldBe(["task_1", "task_2"]);
        second.Items.Select(t => t.Id).ShouldBe(["task_3", "task_4"]);
        last.Items.Select(t => t.Id).ShouldBe(["task_5"]);
        beyond.Items.ShouldBeEmpty();
        new[] { first.TotalCount, second.TotalCount, last.TotalCount, beyond.TotalCount }.ShouldBe([5, 5, 5, 5]);
        new[] { first.HasMore, second.HasMore, last.HasMore, beyond.HasMore }.ShouldBe([true, true, false, false]);
        new[] { first, second, last, beyond }.ShouldAllBe(p => p.TotalIsExact);
    }

    [Theory]
    [InlineData(TaskSort.CreatedAsc)]
    [InlineData(TaskSort.CreatedDesc)]
    [InlineData(TaskSort.Title)]
    public async Task QueryAsync_SearchWithFiltersPagedInAnyOrder_PagesAndCountsOnlyMatchingTasks(TaskSort sort)
    {
        await InsertAsync(
            NewTask("task_1") with { Title = "alpha one", Priority = TaskPriority.High },
            NewTask("task_2") with { Title = "alpha two" },
            NewTask("task_3") with { Title = "alpha three", Priority = TaskPriority.High },
            NewTask("task_4") with { Title = "beta four", Priority = TaskPriority.High },
            NewTask("task_5") with { Title = "alpha five", Priority = TaskPriority.High },
            NewTask("task_6") with { Title = "alpha six", Priority = TaskPriority.High });
        var query = new TaskQuery { SearchText = "alpha", Priorities = [TaskPriority.High], Sort = sort, Limit = 2, AllowApproximateCount = true };

        var pages = new[] { await QueryAsync(query), await QueryAsync(query with { Offset = 2 }), await QueryAsync(query with { Offset = 4 }), await QueryAsync(query with { Offset = 9 }) };

        var expected = sort switch
        {
            TaskSort.CreatedDesc => new[] { "task_6", "task_5", "task_3", "task_1" },
            TaskSort.Title => ["task_5", "task_1", "task_6", "task_3"],
            _ => ["task_1", "task_3", "task_5", "task_6"],
        };
        pages.SelectMany(p => p.Items).Select(t => t.Id).ShouldBe(expected);
        pages.Select(p => p.TotalCount).ShouldBe([4, 4, 4, 4]);
        pages.Select(p => p.HasMore).ShouldBe([true, false, false, false]);
        pages.ShouldAllBe(p => p.TotalIsExact);
    }

    [Fact]
    public async Task QueryAsync_PageOfFilteredQuery_TotalCountsOnlyMatchingTasks()
    {
        await InsertAsync(
            NewTask("task_1") with { Priority = TaskPriority.High },
            NewTask("task_2"),
            NewTask("task_3") with { Priority = TaskPriority.High },
            NewTask("task_4") with { Priority = TaskPriority.High });

        var page = await QueryAsync(new TaskQuery { Priorities = [TaskPriority.High], Limit = 1, Offset = 1 });

        page.Items.Select(t => t.Id).ShouldBe(["task_3"]);
        page.TotalCount.ShouldBe(3);
    }

    [Fact]
    public async Task QueryAsync_SearchTextOfSeveralWords_ReturnsTasksMatchingEveryWordInTitleOrDescription()
    {
        await SeedSearchableAsync();

        (await QueryIdsAsync(new TaskQuery { SearchText = "PARSER staging" })).ShouldBe(["task_deploy"]);
    }

    [Fact]
    public async Task QueryAsync_SearchTextWholeWord_MatchesTitleAndDescription()
    {
        await SeedSearchableAsync();

        (await QueryIdsAsync(new TaskQuery { SearchText = "parser" })).ShouldBe(["task_parser", "task_deploy"]);
    }

    [Fact]
    public async Task QueryAsync_SearchTextLastWordIncomplete_MatchesItAsAPrefix()
    {
        await SeedSearchableAsync();

        (await QueryIdsAsync(new TaskQuery { SearchText = "pars" })).ShouldBe(["task_parser", "task_deploy", "task_logs"]);
        (await QueryIdsAsync(new TaskQuery { SearchText = "config pars" })).ShouldBe(["task_parser"]);
    }

    [Fact]
    public async Task QueryAsync_SearchTextWithPunctuationAndSearchSyntax_TreatsItAsPlainWords()
    {
        await SeedSearchableAsync();

        (await QueryIdsAsync(new TaskQuery { SearchText = "login-page" })).ShouldBe(["task_login"]);
        (await QueryIdsAsync(new TaskQuery { SearchText = "\"fix\" (login*" })).ShouldBe(["task_login"]);
    }

    [Fact]
    public async Task QueryAsync_SearchTextOnlyPunctuation_ThrowsInvalidArgumentNamingSearchText()
    {
        await SeedSearchableAsync();

        var ex = await Should.ThrowAsync<OrchestratorException>(async () => await QueryAsync(new TaskQuery { SearchText = "!!! -- ?" }));

        ex.Error.Code.ShouldBe(ErrorCodes.InvalidArgument);
        ex.Error.Field.ShouldBe("search_text");
    }

    [Fact]
    public async Task QueryAsync_SearchTextAfterTitleChange_MatchesTheNewTitleOnly()
    {
        var task = NewTask("task_1", "Draft the roadmap");
        await InsertAsync(task);
        await WriteAsync(unit => unit.Tasks.UpdateAsync(task with { Title = "Publish the changelog", Version = 2 }, 1, Ct));

        (await QueryIdsAsync(new TaskQuery { SearchText = "roadmap" })).ShouldBeEmpty();
        (await QueryIdsAsync(new TaskQuery { SearchText = "changelog" })).ShouldBe(["task_1"]);
    }

    [Fact]
    public async Task QueryAsync_SearchTextOfDeletedTask_MatchesNothing()
    {
        await InsertAsync(NewTask("task_1", "Draft the roadmap"), NewTask("task_2", "Review the roadmap"));
        await WriteAsync(unit => unit.Tasks.DeleteAsync(["task_1"], Ct));

        (await QueryIdsAsync(new TaskQuery { SearchText = "roadmap" })).ShouldBe(["task_2"]);
    }

    private async Task SeedTreeAsync() => await InsertAsync(
        NewTask("task_r1"),
        NewTask("task_c1") with { ParentId = "task_r1" },
        NewTask("task_r2"),
        NewTask("task_c3") with { ParentId = "task_r2" },
        NewTask("task_g1") with { ParentId = "task_c1" },
        NewTask("task_c2") with { ParentId = "task_r1" });

    private async Task SeedCreatedOneSecondApartAsync()
    {
        for (int i = 0; i < 3; i++)
        {
            await InsertAsync(NewTask($"task_t{i}"));
            Time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    private async Task SeedSearchableAsync() => await InsertAsync(
        NewTask("task_parser", "Write parser for config files"),
        NewTask("task_deploy", "Deploy service") with { Description = "Roll out the parser service to staging." },
        NewTask("task_login", "Fix login page"),
        NewTask("task_logs", "Parse logs"));

    /// <summary>
    /// Pending tasks in every readiness situation: no dependencies, satisfied ones (completed, or
    /// archived after completing), soft ones, unsatisfied ones; and non-pending tasks, never listed.
    /// </summary>
    private async Task SeedReadinessAsync()
    {
        await InsertAsync(
            NewTask("dep_done") with { Status = TaskItemStatus.Completed, CompletedAt = Start },
            NewTask("dep_archived_done") with { Status = TaskItemStatus.Archived, CompletedAt = Start },
            NewTask("dep_open"),
            NewTask("dep_archived_undone") with { Status = TaskItemStatus.Archived },
            NewTask("ready_none"),
            NewTask("ready_done"),
            NewTask("ready_archived_done"),
            NewTask("ready_soft"),
            NewTask("wait_open"),
            NewTask("wait_mixed"),
            NewTask("wait_archived_undone"),
            NewTask("started") with { Status = TaskItemStatus.InProgress },
            NewTask("blocked_waiting") with { Status = TaskItemStatus.Blocked, StatusReason = "stuck" });
        await AddDependencyAsync("ready_done", "dep_done");
        await AddDependencyAsync("ready_archived_done", "dep_archived_done");
        await AddDependencyAsync("ready_soft", "dep_open", DependencyKind.Soft);
        await AddDependencyAsync("wait_open", "dep_open");
        await AddDependencyAsync("wait_mixed", "dep_done");
        await AddDependencyAsync("wait_mixed", "dep_open");
        await AddDependencyAsync("wait_archived_undone", "dep_archived_undone");
        await AddDependencyAsync("blocked_waiting", "dep_open");
    }
}
