using System.Text.Json;
using Microsoft.Data.Sqlite;
using Shouldly;
using TaskOrchestrator.Mcp.Tests.Harness;

namespace TaskOrchestrator.Mcp.Tests.Tools;

// The tools refuse cycles and references to missing tasks, so those rows are written straight into
// the database file with foreign keys off, as a hand edit or an older version would leave them.
public sealed class ValidateDependenciesTests
{
    private const string Tool = "orchestrator_validate_dependencies";

    [Fact]
    public async Task ValidateDependencies_HealthyWorkspace_ScoresOneHundredAndChangesNothing()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var a = await server.PlanIdAsync(new { title = "A" });
        await server.PlanIdAsync(new { title = "B", dependencies = new[] { a } });
        await server.FinishAsync(a);
        var before = server.Snapshot();

        var answer = await server.CallAsync(Tool);

        var result = answer.Ok();
        result.Int("health_score").ShouldBe(100);
        result.Str("scope").ShouldBe("workspace");
        result.Items("findings").ShouldBeEmpty();
        result.Items("summary").Select(s => (s.Str("kind"), s.Int("found"), s.Int("penalty"), s.Int("weight"), s.Int("cap"))).ShouldBe(
        [
            ("dependency_cycle", 0L, 0L, 25L, 50L),
            ("dangling_reference", 0L, 0L, 15L, 45L),
            ("blocked_by_ended_work", 0L, 0L, 10L, 30L),
            ("orphaned_subtree", 0L, 0L, 10L, 30L),
            ("single_point_of_failure", 0L, 0L, 5L, 15L),
        ]);
        (result.Int("tasks_analyzed"), result.Int("dependencies_analyzed"), result.Int("min_dependents"), result.Bool("truncated")).ShouldBe((2L, 1L, 5L, false));
        result.Items("limits_reached").ShouldBeEmpty();
        result.Str("score_formula").ShouldStartWith("health_score = max(0, 100 - sum over kinds of min(weight x found, cap))");
        answer.Text.ShouldBe("Dependency health 100/100 (workspace): no findings over 2 tasks and 1 dependency.");
        server.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task ValidateDependencies_OneFindingOfEveryKind_ScoresThirtyFiveAndItsFixesClearAllButTheRisk()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var ping = await server.PlanIdAsync(new { title = "Ping" });
        var pong = await server.PlanIdAsync(new { title = "Pong" });
        var lost = await server.PlanIdAsync(new { title = "Needs a ghost" });
        var dropped = await server.PlanIdAsync(new { title = "Dropped" });
        var waits = await server.PlanIdAsync(new { title = "Waits forever", dependencies = new[] { dropped } });
        await server.OkAsync("orchestrator_cancel_task", new { task_id = dropped });
        var shelved = await server.PlanAsync(new { title = "Shelved", subtasks = new object[] { new { title = "Left open" } } });
        await server.OkAsync("orchestrator_update_task", new { task_id = shelved.Str("task_id"), status = "archived" });
        var hub = await server.PlanAsync(new
        {
            title = "Release",
            subtasks = new object[]
            {
                new { key = "hub", title = "Shared schema" },
                new { title = "API", dependencies = new[] { "hub" } }, new { title = "CLI", dependencies = new[] { "hub" } },
                new { title = "UI", dependencies = new[] { "hub" } }, new { title = "Docs", dependencies = new[] { "hub" } },
                new { title = "Tests", dependencies = new[] { "hub" } },
            },
        });
        HandEdit(server, Edge(ping, pong), Edge(pong, ping), Edge(lost, "task_ghost"));
        var before = server.Snapshot();

        var answer = await server.CallAsync(Tool);

        var result = answer.Ok();
        server.Snapshot().ShouldBe(before);
        result.Int("health_score").ShouldBe(100 - 25 - 15 - 10 - 10 - 5);
        var findings = result.Items("findings");
        findings.Select(f => (f.Str("kind"), f.Str("severity"))).ShouldBe(
        [
            ("dependency_cycle", "error"), ("dangling_reference", "error"), ("blocked_by_ended_work", "warning"), ("orphaned_subtree", "warning"), ("single_point_of_failure", "info"),
        ]);
        var (first, second) = string.CompareOrdinal(ping, pong) < 0 ? (ping, pong) : (pong, ping);
        findings[0].Str("message").ShouldBe($"Dependencies form a cycle: {first} -> {second} -> {first}; none of these tasks can become ready.");
        findings[0].Items("tasks").Select(t => (t.Str("task_id"), t.Str("title"), t.Str("status"), t.Bool("exists"))).ShouldBe(
            [(first, first == ping ? "Ping" : "Pong", "pending", true), (second, second == ping ? "Ping" : "Pong", "pending", true)]);
        findings[0].Str("suggested_fix.tool").ShouldBe("orchestrator_update_task");
        findings[0].At("suggested_fix.arguments").GetRawText().ShouldBe($$"""{"task_id":"{{second}}","remove_dependencies":["{{first}}"]}""");
        findings[1].Str("message").ShouldBe($"Task '{lost}' depends on 'task_ghost', which does not exist.");
        findings[1].Items("tasks").Select(t => (t.Str("task_id"), t.Str("title"), t.Bool("exists"))).ShouldBe([(lost, "Needs a ghost", true), ("task_ghost", null, false)]);
        findings[1].IsNull("tasks.1.status").ShouldBeTrue();
        findings[2].Str("message").ShouldBe($"Task '{waits}' waits for '{dropped}', which is 'cancelled' and will not complete: it can never become ready.");
        findings[3].Str("message").ShouldBe($"Task '{shelved.Str("subtasks.0.task_id")}' is still 'pending' but its parent '{shelved.Str("task_id")}' is 'archived': it can never roll up.");
        findings[3].Str("suggested_fix.tool").ShouldBe("orchestrator_cancel_task");
        findings[4].Str("message").ShouldBe($"5 open tasks wait on task '{hub.Str("subtasks.0.task_id")}' (5 directly, 0 through them): if it fails or is cancelled, none of them can become ready.");
        findings[4].Int("tasks_involved").ShouldBe(6);
        findings[4].Items("tasks").Select(t => t.Str("title")).ShouldBe(["Shared schema", "API", "CLI", "UI", "Docs", "Tests"], ignoreOrder: true);
        answer.Text.Split('\n')[0].ShouldBe("Dependency health 35/100 (workspace): 1 dependency_cycle, 1 dangling_reference, 1 blocked_by_ended_work, 1 orphaned_subtree, 1 single_point_of_failure over 14 tasks and 9 dependencies.");
        answer.Text.Split('\n')[1].ShouldBe($"- [error] dependency_cycle: {findings[0].Str("message")} Fix: orchestrator_update_task {{\"task_id\":\"{second}\",\"remove_dependencies\":[\"{first}\"]}}");

        // Every suggested tool call is accepted as sent, and clears its finding.
        foreach (var fix in findings.Take(4).Select(f => f.At("suggested_fix")))
        {
            await server.OkAsync(fix.Str("tool")!, JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(fix.At("arguments").GetRawText()));
        }

        var after = await server.OkAsync(Tool);
        after.Items("findings").Select(f => f.Str("kind")).ShouldBe(["single_point_of_failure"]);
        after.Int("health_score").ShouldBe(95);
    }

    [Fact]
    public async Task ValidateDependencies_SubtreeAndSessionScopes_ReportOnlyFindingsInvolvingTheirTasks()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var mine = (await server.InitializeAsync("mine")).Str("session_id")!;
        var tree = await server.PlanAsync(new { title = "Tree", session_id = mine, subtasks = new object[] { new { title = "Leaf" } } });
        var leaf = tree.Str("subtasks.0.task_id")!;
        var theirs = (await server.InitializeAsync("theirs")).Str("session_id")!;
        var dropped = await server.PlanIdAsync(new { title = "Dropped", session_id = theirs });
        await server.PlanIdAsync(new { title = "Waits", session_id = theirs, dependencies = new[] { dropped } });
        await server.OkAsync("orchestrator_cancel_task", new { task_id = dropped });
        HandEdit(server, Edge(leaf, "task_ghost"));

        var subtree = await server.OkAsync(Tool, new { target_task_id = tree.Str("task_id") });
        var bySession = await server.OkAsync(Tool, new { scope = "session", session_id = theirs });
        var current = await server.OkAsync(Tool, new { scope = "session" });
        var whole = await server.OkAsync(Tool);

        (subtree.Str("scope"), subtree.Str("target_task_id"), subtree.IsNull("session_id")).ShouldBe(("subtree", tree.Str("task_id"), true));
        subtree.Pluck("findings", "kind").ShouldBe(["dangling_reference"]);
        (subtree.Int("tasks_analyzed"), subtree.Int("dependencies_analyzed"), subtree.Int("health_score")).ShouldBe((2L, 1L, 85L));
        (bySession.Str("scope"), bySession.Str("session_id")).ShouldBe(("session", theirs));
        bySession.Pluck("findings", "kind").ShouldBe(["blocked_by_ended_work"]);
        (bySession.Int("tasks_analyzed"), bySession.Int("health_score")).ShouldBe((2L, 90L));
        current.Str("session_id").ShouldBe(theirs);
        whole.Pluck("findings", "kind").ShouldBe(["dangling_reference", "blocked_by_ended_work"]);
        whole.Int("health_score").ShouldBe(75);
    }

    [Fact]
    public async Task ValidateDependencies_LowerThreshold_ReportsSmallerConcentrations()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var plan = await server.PlanAsync(new
        {
            title = "Chain",
            subtasks = new object[]
            {
                new { key = "one", title = "One" }, new { key = "two", title = "Two", dependencies = new[] { "one" } },
                new { title = "Three", dependencies = new[] { "two" } },
            },
        });

        var atDefault = await server.OkAsync(Tool);
        var atTwo = await server.OkAsync(Tool, new { min_dependents = 2 });

        atDefault.Items("findings").ShouldBeEmpty();
        atTwo.Int("min_dependents").ShouldBe(2);
        atTwo.Pluck("findings", "tasks.0.task_id").ShouldBe([plan.Str("subtasks.0.task_id")!]);
        atTwo.Str("findings.0.message").ShouldBe($"2 open tasks wait on task '{plan.Str("subtasks.0.task_id")}' (1 directly, 1 through them): if it fails or is cancelled, none of them can become ready.");
        atTwo.Int("health_score").ShouldBe(95);
    }

    [Fact]
    public async Task ValidateDependencies_BadScope_IsRefusedWithTheAllowedValuesAndChangesNothing()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Something" });
        var before = server.Snapshot();

        var galaxy = await server.ErrorAsync(Tool, new { scope = "galaxy" });
        var sessionWithTarget = await server.ErrorAsync(Tool, new { scope = "session", target_task_id = id });

        (galaxy.Str("code"), galaxy.Str("field")).ShouldBe(("invalid_argument", "scope"));
        galaxy.Strs("allowed").ShouldBe(["workspace", "session", "subtree"]);
        (sessionWithTarget.Str("code"), sessionWithTarget.Str("field"), sessionWithTarget.Str("message")).ShouldBe(("invalid_argument", "target_task_id", "target_task_id names a subtree, but scope is 'session'."));
        sessionWithTarget.Strs("allowed").ShouldBe(["subtree"]);
        server.Snapshot().ShouldBe(before);
    }

    private static string Edge(string task, string dependsOn) =>
        $"INSERT INTO dependency (workspace_id, task_id, depends_on_id, kind, created_at) SELECT id, '{task}', '{dependsOn}', 'hard', 0 FROM workspace";

    private static void HandEdit(OrchestratorServer server, params string[] statements)
    {
        using var connection = new SqliteConnection($"Data Source={server.DatabasePath};Pooling=False;Foreign Keys=False");
        connection.Open();
        foreach (var sql in statements)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery().ShouldBe(1, sql);
        }
    }
}
