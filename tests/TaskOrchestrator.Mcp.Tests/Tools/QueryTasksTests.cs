using System.Text.Json;
using Shouldly;
using TaskOrchestrator.Mcp.Tests.Harness;

namespace TaskOrchestrator.Mcp.Tests.Tools;

public sealed class QueryTasksTests : IClassFixture<QueryWorkspace>
{
    private readonly QueryWorkspace _w;

    public QueryTasksTests(QueryWorkspace workspace)
    {
        _w = workspace;
    }

    [Fact]
    public async Task QueryTasks_NoFilters_ReturnsEveryTaskButArchivedInCreationOrder()
    {
        var result = await Query(new { });

        Ids(result).ShouldBe(_w.Visible);
        result.Int("total_count").ShouldBe(7);
        result.Bool("has_more").ShouldBeFalse();
        result.IsNull("next_offset").ShouldBeTrue();
        result.Bool("filters_applied.include_archived").ShouldBeFalse();
        result.Items("tasks").ShouldAllBe(t => t.At("children").ValueKind == JsonValueKind.Null && t.At("artifacts").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task QueryTasks_StatusFilter_ReturnsOnlyThoseStatuses()
    {
        var result = await Query(new { status = new[] { "completed", "blocked" } });

        Ids(result).ShouldBe([_w.Design, _w.Blocked]);
        result.Strs("filters_applied.status").ShouldBe(["completed", "blocked"]);
    }

    [Fact]
    public async Task QueryTasks_StatusArchived_ReturnsArchivedTaskAndEchoesIncludeArchived()
    {
        var result = await Query(new { status = new[] { "archived" } });

        Ids(result).ShouldBe([_w.Archived]);
        result.Bool("filters_applied.include_archived").ShouldBeTrue();
    }

    [Fact]
    public async Task QueryTasks_TaskTypeFilter_ReturnsOnlyThoseTypes()
    {
        var result = await Query(new { task_type = new[] { "testing", "deployment" } });

        Ids(result).ShouldBe([_w.Tests, _w.Blocked]);
        result.Strs("filters_applied.task_type").ShouldBe(["testing", "deployment"]);
    }

    [Fact]
    public async Task QueryTasks_SpecialistTypeFilter_ReturnsOnlyThoseRoles()
    {
        var result = await Query(new { specialist_type = new[] { "coordinator", "documenter" } });

        Ids(result).ShouldBe([_w.Parent, _w.ChildAlpha]);
        result.Strs("filters_applied.specialist_type").ShouldBe(["coordinator", "documenter"]);
    }

    [Fact]
    public async Task QueryTasks_ComplexityFilter_ReturnsOnlyThoseComplexitiesAndStillHidesArchived()
    {
        var result = await Query(new { complexity = new[] { "trivial", "very_complex" } });

        Ids(result).ShouldBe([_w.Blocked]);
        result.Strs("filters_applied.complexity").ShouldBe(["trivial", "very_complex"]);
    }

    [Fact]
    public async Task QueryTasks_PriorityFilter_ReturnsOnlyThosePriorities()
    {
        var result = await Query(new { priority = new[] { "critical", "high" } });

        Ids(result).ShouldBe([_w.Design, _w.Implement]);
        result.Strs("filters_applied.priority").ShouldBe(["critical", "high"]);
    }

    [Fact]
    public async Task QueryTasks_ParentTaskId_ReturnsItsDirectSubtasks()
    {
        var result = await Query(new { parent_task_id = _w.Parent });

        Ids(result).ShouldBe([_w.ChildAlpha, _w.ChildBeta]);
        result.Str("filters_applied.parent_task_id").ShouldBe(_w.Parent);
    }

    [Fact]
    public async Task QueryTasks_SessionId_ReturnsThatSessionsTasks()
    {
        var result = await Query(new { session_id = _w.SessionTwo });

        Ids(result).ShouldBe([_w.Tests, _w.Blocked]);
        result.Str("filters_applied.session_id").ShouldBe(_w.SessionTwo);
    }

    [Theory]
    [InlineData("tests", "Tests")]
    [InlineData("child al", "ChildAlpha")]
    [InlineData("INDEXES", "Design")]
    [InlineData("  database   schema ", "Design")]
    public async Task QueryTasks_SearchText_MatchesEveryWordWithTheLastAsPrefix(string text, string expected)
    {
        var result = await Query(new { search_text = text });

        Ids(result).ShouldBe([Named(expected)]);
        result.Str("filters_applied.search_text").ShouldBe(text.Trim());
    }

    [Fact]
    public async Task QueryTasks_SearchTextWithFtsSyntax_IsTakenLiterally()
    {
        var result = await Query(new { search_text = "\"schema\" OR NOT api*" });

        Ids(result).ShouldBeEmpty();
        result.Int("total_count").ShouldBe(0);
    }

    [Fact]
    public async Task QueryTasks_CreatedAfter_IncludesTasksCreatedAtOrAfterTheInstant()
    {
        var result = await Query(new { created_after = "2026-11-21T09:03:00Z" });

        Ids(result).ShouldBe([_w.Tests, _w.Blocked, _w.Parent, _w.ChildAlpha, _w.ChildBeta]);
        result.Time("filters_applied.created_after").ShouldBe(_w.T0.AddMinutes(3));
    }

    [Fact]
    public async Task QueryTasks_CreatedBefore_IncludesTasksCreatedBeforeTheInstant()
    {
        var result = await Query(new { created_before = "2026-11-21T10:03:00+01:00" });

        Ids(result).ShouldBe([_w.Design, _w.Implement]);
        result.Time("filters_applied.created_before").ShouldBe(_w.T0.AddMinutes(3));
        result.Time("filters_applied.created_before").Offset.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public async Task QueryTasks_ReadyOnly_ReturnsPendingTasksWithCompletedDependencies()
    {
        var result = await Query(new { ready_only = true });

        Ids(result).ShouldBe([_w.Implement, _w.Parent, _w.ChildAlpha, _w.ChildBeta]);
        result.Items("tasks").ShouldAllBe(t => t.Bool("ready"));
        result.Bool("filters_applied.ready_only").ShouldBeTrue();
    }

    [Fact]
    public async Task QueryTasks_ReadyOnlySortedByPriority_IsTheHandOutOrder()
    {
        var result = await Query(new { ready_only = true, sort = "priority" });

        Ids(result).ShouldBe([_w.Implement, _w.Parent, _w.ChildAlpha, _w.ChildBeta]);
    }

    [Fact]
    public async Task QueryTasks_IncludeChildren_ListsDirectSubtasksOfEachTask()
    {
        var result = await Query(new { include_children = true });

        var parent = result.Items("tasks").Single(t => t.Str("task_id") == _w.Parent);
        parent.Pluck("children", "task_id").ShouldBe([_w.ChildAlpha, _w.ChildBeta]);
        parent.Pluck("children", "title").ShouldBe(["Child alpha", "Child beta"]);
        result.Items("tasks").Single(t => t.Str("task_id") == _w.Design).Items("children").ShouldBeEmpty();
    }

    [Fact]
    public async Task QueryTasks_IncludeArtifacts_ListsArtifactsWithoutContent()
    {
        var result = await Query(new { include_artifacts = true, status = new[] { "completed" } });

        var artifact = result.Items("tasks.0.artifacts").Single();
        artifact.Str("artifact_id").ShouldBe(_w.ArtifactId);
        artifact.Str("task_id").ShouldBe(_w.Design);
        artifact.Str("summary").ShouldBe("schema designed");
        artifact.Int("content_length").ShouldBe("CREATE TABLE report (...);".Length);
        artifact.IsNull("content").ShouldBeTrue();
    }

    [Fact]
    public async Task QueryTasks_IncludeArchived_AddsArchivedTasks()
    {
        var result = await Query(new { include_archived = true });

        Ids(result).ShouldBe([_w.Design, _w.Implement, _w.Tests, _w.Archived, _w.Blocked, _w.Parent, _w.ChildAlpha, _w.ChildBeta]);
        result.Int("total_count").ShouldBe(8);
        result.Bool("filters_applied.include_archived").ShouldBeTrue();
    }

    [Theory]
    [InlineData("created_asc", new[] { "Design", "Implement", "Tests", "Blocked", "Parent", "ChildAlpha", "ChildBeta" })]
    [InlineData("created_desc", new[] { "ChildBeta", "ChildAlpha", "Parent", "Blocked", "Tests", "Implement", "Design" })]
    [InlineData("updated_desc", new[] { "Blocked", "Design", "ChildBeta", "ChildAlpha", "Parent", "Tests", "Implement" })]
    [InlineData("priority", new[] { "Implement", "Design", "Tests", "Parent", "ChildAlpha", "ChildBeta", "Blocked" })]
    [InlineData("due_date", new[] { "Implement", "Design", "Tests", "Blocked", "Parent", "ChildAlpha", "ChildBeta" })]
    [InlineData("title", new[] { "Blocked", "ChildAlpha", "ChildBeta", "Design", "Implement", "Parent", "Tests" })]
    public async Task QueryTasks_Sort_OrdersTasks(string sort, string[] expected)
    {
        var result = await Query(new { sort });

        Ids(result).ShouldBe(expected.Select(Named).ToArray());
        result.Str("filters_applied.sort").ShouldBe(sort);
    }

    [Theory]
    [InlineData(0, 3, true, 3)]
    [InlineData(3, 3, true, 6)]
    [InlineData(6, 1, false, null)]
    [InlineData(10, 0, false, null)]
    public async Task QueryTasks_LimitAndOffset_PageThroughTheResults(int offset, int count, bool hasMore, int? nextOffset)
    {
        var result = await Query(new { limit = 3, offset });

        Ids(result).ShouldBe(_w.Visible.Skip(offset).Take(3).ToArray());
        result.Items("tasks").Length.ShouldBe(count);
        result.Int("total_count").ShouldBe(7);
        result.Bool("has_more").ShouldBe(hasMore);
        (result.IsNull("next_offset") ? (int?)null : (int)result.Int("next_offset")).ShouldBe(nextOffset);
        result.Int("filters_applied.limit").ShouldBe(3);
        result.Int("filters_applied.offset").ShouldBe(offset);
    }

    [Fact]
    public async Task QueryTasks_FiltersCombined_AllMustMatchAndAreEchoedNormalized()
    {
        var result = await Query(new
        {
            status = new[] { "pending", "pending", "blocked" },
            task_type = new[] { "implementation", "testing", "deployment" },
            priority = new[] { "critical", "medium", "low" },
            session_id = _w.SessionOne,
            search_text = " implement ",
            created_after = "2026-11-21",
            created_before = "2026-11-21T09:30:00Z",
            sort = "title",
            limit = 10,
        });

        Ids(result).ShouldBe([_w.Implement]);
        var applied = result.At("filters_applied");
        applied.Strs("status").ShouldBe(["pending", "blocked"]);
        applied.Strs("task_type").ShouldBe(["implementation", "testing", "deployment"]);
        applied.Strs("specialist_type").ShouldBeEmpty();
        applied.Strs("complexity").ShouldBeEmpty();
        applied.Strs("priority").ShouldBe(["critical", "medium", "low"]);
        applied.IsNull("parent_task_id").ShouldBeTrue();
        applied.Str("session_id").ShouldBe(_w.SessionOne);
        applied.Str("search_text").ShouldBe("implement");
        applied.Time("created_after").ShouldBe(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero));
        applied.Time("created_before").ShouldBe(_w.T0.AddMinutes(30));
        applied.Bool("ready_only").ShouldBeFalse();
        applied.Bool("include_archived").ShouldBeFalse();
        applied.Str("sort").ShouldBe("title");
        applied.Int("limit").ShouldBe(10);
        applied.Int("offset").ShouldBe(0);
    }

    [Fact]
    public async Task QueryTasks_TaskView_CarriesDependenciesWithTheirState()
    {
        var result = await Query(new { status = new[] { "pending" }, task_type = new[] { "implementation", "testing" } });

        var implement = result.Items("tasks")[0];
        implement.Str("task_id").ShouldBe(_w.Implement);
        implement.Bool("ready").ShouldBeTrue();
        implement.Str("dependencies.0.task_id").ShouldBe(_w.Design);
        implement.Str("dependencies.0.status").ShouldBe("completed");
        implement.Bool("dependencies.0.satisfied").ShouldBeTrue();
        var tests = result.Items("tasks")[1];
        tests.Bool("ready").ShouldBeFalse();
        tests.Str("dependencies.0.task_id").ShouldBe(_w.Implement);
        tests.Bool("dependencies.0.satisfied").ShouldBeFalse();
    }

    private Task<JsonElement> Query(object arguments) => _w.Server.OkAsync("orchestrator_query_tasks", arguments);

    private static string[] Ids(JsonElement result) => result.Pluck("tasks", "task_id");

    private string Named(string name) => name switch
    {
        "Design" => _w.Design,
        "Implement" => _w.Implement,
        "Tests" => _w.Tests,
        "Archived" => _w.Archived,
        "Blocked" => _w.Blocked,
        "Parent" => _w.Parent,
        "ChildAlpha" => _w.ChildAlpha,
        "ChildBeta" => _w.ChildBeta,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
