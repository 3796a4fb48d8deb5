using System.Net;
using System.Text.Json;
using Shouldly;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Planning;

namespace TaskOrchestrator.Server.Tests.Http;

/// <summary>The REST read API over real HTTP against a real SQLite workspace.</summary>
public sealed class WebApiTests : IAsyncLifetime
{
    private WebApiHost _host = null!;
    private PlanOutcome _plan = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private string Root => _plan.Root.Task.Id;

    private string Parser => _plan.Subtasks[0].Task.Id;

    private string Tests => _plan.Subtasks[1].Task.Id;

    private string Docs => _plan.Subtasks[2].Task.Id;

    public async ValueTask InitializeAsync()
    {
        _host = await WebApiHost.StartAsync(Token);

        // A milestone with three subtasks: the tests wait for the parser; the parser is under way.
        _plan = await _host.PlanAsync(new TaskSpec
        {
            Title = "Release 2.0",
            Type = TaskType.Milestone,
            Subtasks =
            [
                new TaskSpec { Key = "parser", Title = "Write parser", Type = TaskType.Implementation, Priority = TaskPriority.High },
                new TaskSpec { Key = "tests", Title = "Test parser", Type = TaskType.Testing, Dependencies = ["parser"] },
                new TaskSpec { Key = "docs", Title = "Document parser", Type = TaskType.Documentation, Priority = TaskPriority.Low },
            ],
        });
        await _host.StartTaskAsync(Parser);
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("status=pending&sort=title", "Document parser|Release 2.0|Test parser")]
    [InlineData("status=in_progress", "Write parser")]
    [InlineData("priority=high", "Write parser")]
    [InlineData("task_type=testing,documentation", "Test parser|Document parser")]
    [InlineData("task_type=testing&task_type=documentation&sort=title", "Document parser|Test parser")]
    [InlineData("specialist_type=tester", "Test parser")]
    [InlineData("ready_only=true&task_type=testing,documentation", "Document parser")]
    [InlineData("search_text=pars&sort=created_desc", "Document parser|Test parser|Write parser")]
    [InlineData("status=completed", "")]
    public async Task Tasks_WithFilters_ReturnExactlyTheMatchingRows(string query, string titles)
    {
        var (status, body) = await GetAsync("api/tasks?" + query);

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        Titles(body).ShouldBe(titles.Length == 0 ? [] : titles.Split('|'));
        body.GetProperty("total_count").GetInt32().ShouldBe(titles.Length == 0 ? 0 : titles.Split('|').Length);
    }

    [Fact]
    public async Task Tasks_ByParentWithPaging_ReturnPagesAndTheFiltersAsApplied()
    {
        var (status, body) = await GetAsync($"api/tasks?parent_task_id={Root}&sort=title&limit=2");

        status.ShouldBe(HttpStatusCode.OK);
        Titles(body).ShouldBe(["Document parser", "Test parser"]);
        body.GetProperty("has_more").GetBoolean().ShouldBeTrue();
        body.GetProperty("next_offset").GetInt32().ShouldBe(2);
        var applied = body.GetProperty("filters_applied");
        applied.GetProperty("parent_task_id").GetString().ShouldBe(Root);
        applied.GetProperty("sort").GetString().ShouldBe("title");
        applied.GetProperty("limit").GetInt32().ShouldBe(2);

        var (_, next) = await GetAsync($"api/tasks?parent_task_id={Root}&sort=title&limit=2&offset=2");
        Titles(next).ShouldBe(["Write parser"]);
        next.GetProperty("has_more").GetBoolean().ShouldBeFalse();
        next.GetProperty("next_offset").ValueKind.ShouldBe(JsonValueKind.Null);

        // The same shape as orchestrator_query_tasks: snake_case, dependencies with their state.
        var tests = next.GetProperty("tasks")[0];
        tests.GetProperty("task_id").GetString().ShouldBe(Parser);
        tests.GetProperty("status").GetString().ShouldBe("in_progress");
        tests.GetProperty("parent_task_id").GetString().ShouldBe(Root);
    }

    [Theory]
    [InlineData("status=done", "invalid_argument", "status[0]", "pending")]
    [InlineData("status=pending,", "invalid_argument", "status", null)]
    [InlineData("colour=red", "unknown_argument", "colour", "status")]
    [InlineData("limit=0", "invalid_argument", "limit", "1..500")]
    [InlineData("limit=501", "invalid_argument", "limit", "1..500")]
    [InlineData("limit=ten", "invalid_argument", "limit", null)]
    [InlineData("offset=-1", "invalid_argument", "offset", "0..+inf")]
    [InlineData("specialist_type=wizard", "invalid_argument", "specialist_type[0]", "tester")]
    [InlineData("ready_only=yes", "invalid_argument", "ready_only", "true")]
    [InlineData("sort=newest", "invalid_argument", "sort", "created_desc")]
    [InlineData("search_text=%20", "missing_argument", "search_text", null)]
    [InlineData("created_after=yesterday", "invalid_argument", "created_after", null)]
    [InlineData("created_after=2026-12-02&created_before=2026-12-01", "invalid_argument", "created_before", null)]
    [InlineData("session_id=a&session_id=b", "invalid_argument", "session_id", null)]
    public async Task Tasks_WithABadParameter_Return400WithTheErrorEnvelope(string query, string code, string field, string? allowedContains)
    {
        var (status, body) = await GetAsync("api/tasks?" + query);

        status.ShouldBe(HttpStatusCode.BadRequest, body.ToString());
        var error = body.GetProperty("error");
        error.GetProperty("code").GetString().ShouldBe(code);
        error.GetProperty("field").GetString().ShouldBe(field);
        error.GetProperty("message").GetString().ShouldNotBeNullOrWhiteSpace();
        error.GetProperty("hint").GetString().ShouldNotBeNullOrWhiteSpace();
        if (allowedContains is not null)
        {
            error.GetProperty("allowed").EnumerateArray().Select(a => a.GetString()).ShouldContain(allowedContains);
        }
    }

    [Theory]
    [InlineData("api/tasks/tsk_missing", "id")]
    [InlineData("api/tasks?parent_task_id=tsk_missing", "parent_task_id")]
    [InlineData("api/tasks?session_id=ses_missing", "session_id")]
    [InlineData("api/tasks?workspace=/no/such/folder", "workspace")]
    [InlineData("api/agents?agent_id=nobody", "agent_id")]
    [InlineData("api/no-such-endpoint", "path")]
    public async Task UnknownThings_Return404WithTheErrorEnvelope(string path, string field)
    {
        var (status, body) = await GetAsync(path);

        status.ShouldBe(HttpStatusCode.NotFound, body.ToString());
        body.GetProperty("error").GetProperty("code").GetString().ShouldBe("not_found");
        body.GetProperty("error").GetProperty("field").GetString().ShouldBe(field);
    }

    [Fact]
    public async Task Task_ReturnsItsTreeDependentsEventsAndArtifacts()
    {
        await _host.CompleteTaskAsync(Parser, "Parser written", "The parser handles every token kind.");

        var (status, body) = await GetAsync($"api/tasks/{Parser}?include_artifact_content=true");

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        var task = body.GetProperty("task");
        task.GetProperty("status").GetString().ShouldBe("completed");
        task.GetProperty("result_summary").GetString().ShouldBe("Parser written");
        var artifact = task.GetProperty("artifacts").EnumerateArray().ShouldHaveSingleItem();
        artifact.GetProperty("content").GetString().ShouldBe("The parser handles every token kind.");
        artifact.GetProperty("content_length").GetInt64().ShouldBe(36);
        body.GetProperty("ancestors").EnumerateArray().Select(a => a.GetProperty("task_id").GetString()).ShouldBe([Root]);
        var dependent = body.GetProperty("dependents").EnumerateArray().ShouldHaveSingleItem();
        dependent.GetProperty("task_id").GetString().ShouldBe(Tests);
        dependent.GetProperty("kind").GetString().ShouldBe("hard");
        var events = body.GetProperty("events").EnumerateArray().Select(e => $"{e.GetProperty("kind").GetString()}:{e.GetProperty("to").GetString()}").ToArray();
        events.ShouldBe(["task_created:pending", "status_changed:in_progress", "artifact_stored:", "status_changed:completed"]);
        body.GetProperty("events_truncated").GetBoolean().ShouldBeFalse();
        body.GetProperty("workspace").GetProperty("root").GetString().ShouldBe(_host.Workspace);

        var (_, limited) = await GetAsync($"api/tasks/{Parser}?events_limit=1");
        limited.GetProperty("events").GetArrayLength().ShouldBe(1);
        limited.GetProperty("events_truncated").GetBoolean().ShouldBeTrue();
        limited.GetProperty("task").GetProperty("artifacts")[0].GetProperty("content").ValueKind.ShouldBe(JsonValueKind.Null);

        var (_, root) = await GetAsync($"api/tasks/{Root}");
        root.GetProperty("task").GetProperty("children").EnumerateArray().Select(c => c.GetProperty("task_id").GetString()).ShouldBe([Parser, Tests, Docs]);
        root.GetProperty("ancestors").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Reports_AnswerWithTheirToolsShapes()
    {
        var (_, status) = await GetAsync("api/status");
        var counts = status.GetProperty("counts_by_status");
        counts.GetProperty("pending").GetInt32().ShouldBe(3);
        counts.GetProperty("in_progress").GetInt32().ShouldBe(1);
        status.GetProperty("total_tasks").GetInt32().ShouldBe(4);
        status.GetProperty("active").EnumerateArray().ShouldHaveSingleItem().GetProperty("task").GetProperty("task_id").GetString().ShouldBe(Parser);

        var (_, slo) = await GetAsync("api/status?include_slo=true");
        slo.GetProperty("slo").GetProperty("window_seconds").GetDouble().ShouldBe(3600);
        slo.GetProperty("slo").GetProperty("tools").GetArrayLength().ShouldBe(0);
        status.GetProperty("slo").ValueKind.ShouldBe(JsonValueKind.Null);

        var (_, sessions) = await GetAsync("api/sessions?status=active");
        sessions.GetProperty("total_count").GetInt32().ShouldBe(0);

        var (_, agents) = await GetAsync("api/agents");
        agents.GetProperty("total").GetInt32().ShouldBe(0);

        var (healthStatus, health) = await GetAsync("api/health?include_reboot_readiness=false");
        healthStatus.ShouldBe(HttpStatusCode.OK, health.ToString());
        health.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ShouldBe(
            ["database_open", "integrity_quick", "write_probe", "migrations_current", "wal_size", "disk_free", "connections", "active_tasks", "expired_leases", "memory", "uptime", "restarts"]);
        health.GetProperty("reboot_readiness").ValueKind.ShouldBe(JsonValueKind.Null);

        var (_, restarts) = await GetAsync("api/restarts");
        restarts.GetProperty("phase").GetString().ShouldBe("not_supervised");
        restarts.GetProperty("history_total").GetInt32().ShouldBe(0);

        var (_, index) = await GetAsync("api");
        index.GetProperty("workspace").GetString().ShouldBe(_host.Workspace);
        index.GetProperty("endpoints").EnumerateArray().Select(e => e.GetString()).ShouldBe(
            ["/api", "/api/agents", "/api/events", "/api/events/recent", "/api/health", "/api/restarts", "/api/sessions", "/api/status", "/api/tasks", "/api/tasks/{id}", "/api/workspaces"]);

        var (_, named) = await GetAsync("api/status?workspace=" + Uri.EscapeDataString(_host.Workspace));
        named.GetProperty("total_tasks").GetInt32().ShouldBe(4);
    }

    [Theory]
    [InlineData("api/status?include_completed=1", "include_completed")]
    [InlineData("api/sessions?status=closed", "status")]
    [InlineData("api/sessions?limit=201", "limit")]
    [InlineData("api/health?verbose=true", "verbose")]
    [InlineData("api/events/recent?limit=0", "limit")]
    [InlineData("api/events?since=-1", "since")]
    [InlineData("api/events?since=abc", "since")]
    [InlineData("api/tasks/x?events_limit=1001", "events_limit")]
    public async Task Reports_WithABadParameter_Return400(string path, string field)
    {
        var (status, body) = await GetAsync(path);

        status.ShouldBe(HttpStatusCode.BadRequest, body.ToString());
        body.GetProperty("error").GetProperty("field").GetString().ShouldBe(field);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        using var response = await _host.Client.GetAsync(path, Token);
        var text = await response.Content.ReadAsStringAsync(Token);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json", text);
        using var document = JsonDocument.Parse(text);
        return (response.StatusCode, document.RootElement.Clone());
    }

    private static string[] Titles(JsonElement body) =>
        [.. body.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("title").GetString()!)];
}
