using System.Text.Json;
using Shouldly;
using TaskOrchestrator.Mcp.Tests.Harness;

namespace TaskOrchestrator.Mcp.Tests.Tools;

public sealed class PlanTaskTests
{
    private static readonly object ThreeLevelPlan = new
    {
        title = "Ship the export feature",
        description = "CSV export of reports.",
        context = new { goal = "ship", constraints = new[] { "no new dependencies" } },
        priority = "high",
        subtasks = new object[]
        {
            new { key = "design", title = "Design the export", task_type = "research" },
            new
            {
                key = "build",
                title = "Build the export",
                dependencies = new[] { "design" },
                subtasks = new object[]
                {
                    new { key = "api", title = "Export endpoint", task_type = "implementation", complexity = "complex" },
                    new { key = "tests", title = "Export tests", task_type = "testing", dependencies = new[] { "api" } },
                },
            },
            new { key = "docs", title = "Document the export", task_type = "documentation", dependencies = new[] { "build" }, specialist_type = "architect" },
        },
    };

    [Fact]
    public async Task PlanTask_ThreeLevelsWithLocalKeys_CreatesTreeWithParentsDependenciesAndReadyFlags()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var session = await server.InitializeAsync();

        var plan = await server.PlanAsync(WithSession(ThreeLevelPlan, session.Str("session_id")!));

        var root = plan.Str("task_id")!;
        plan.Int("created_count").ShouldBe(6);
        plan.Int("version").ShouldBe(1);
        plan.Str("status").ShouldBe("pending");
        plan.Bool("ready").ShouldBeTrue();
        plan.Str("task.task_id").ShouldBe(root);
        plan.Str("task.title").ShouldBe("Ship the export feature");
        plan.Str("task.description").ShouldBe("CSV export of reports.");
        plan.Str("task.priority").ShouldBe("high");
        plan.Str("task.specialist_type").ShouldBe("generic");
        plan.Str("task.session_id").ShouldBe(session.Str("session_id"));
        plan.IsNull("task.parent_task_id").ShouldBeTrue();
        plan.At("task.context").GetRawText().ShouldBe("""{"goal":"ship","constraints":["no new dependencies"]}""");
        plan.Items("task.dependencies").ShouldBeEmpty();

        var subtasks = plan.Items("subtasks");
        subtasks.Select(s => s.Str("key")).ShouldBe(["design", "build", "api", "tests", "docs"]);
        subtasks.Select(s => s.Str("path")).ShouldBe(["subtasks[0]", "subtasks[1]", "subtasks[1].subtasks[0]", "subtasks[1].subtasks[1]", "subtasks[2]"]);
        var id = subtasks.ToDictionary(s => s.Str("key")!, s => s.Str("task_id")!);
        subtasks.Select(s => s.Str("parent_task_id")).ShouldBe([root, root, id["build"], id["build"], root]);
        subtasks.Select(s => s.Str("specialist_type")).ShouldBe(["researcher", "generic", "implementer", "tester", "architect"]);
        subtasks.Select(s => s.Bool("ready")).ShouldBe([true, false, true, false, false]);
        subtasks.Select(s => s.Str("status")).ShouldAllBe(s => s == "pending");
        subtasks.Select(s => string.Join(",", s.Strs("depends_on"))).ShouldBe(["", id["design"], "", id["api"], id["build"]]);
        plan.Strs("ready_task_ids").ShouldBe([root, id["design"], id["api"]]);

        StoreSnapshot.Value(server.DatabasePath, "SELECT count(*) FROM task").ShouldBe("6");
        StoreSnapshot.Value(server.DatabasePath, "SELECT count(*) FROM dependency").ShouldBe("3");
        StoreSnapshot.Value(server.DatabasePath, "SELECT count(*) FROM event WHERE kind = 'task_created'").ShouldBe("6");
        StoreSnapshot.Value(server.DatabasePath, $"SELECT complexity FROM task WHERE id = '{id["api"]}'").ShouldBe("complex");
        StoreSnapshot.Value(server.DatabasePath, $"SELECT count(DISTINCT session_id) || '|' || min(session_id) FROM task").ShouldBe($"1|{session.Str("session_id")}");
    }

    [Fact]
    public async Task PlanTask_AfterInitializeSessionWithoutSessionId_BelongsToTheCurrentSession()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var session = await server.InitializeAsync();

        var plan = await server.PlanAsync(ThreeLevelPlan);

        plan.Str("task.session_id").ShouldBe(session.Str("session_id"));
        StoreSnapshot.Value(server.DatabasePath, $"SELECT count(*) FROM task WHERE session_id = '{session.Str("session_id")}'").ShouldBe("6");
    }

    private static JsonElement WithSession(object plan, string sessionId)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(plan))!.AsObject();
        node["session_id"] = sessionId;
        return JsonSerializer.SerializeToElement(node);
    }

    [Fact]
    public async Task PlanTask_UnderExistingParentAndOnExistingDependency_LinksBoth()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var parent = await server.PlanIdAsync(new { title = "Parent" });
        var prerequisite = await server.PlanIdAsync(new { title = "Prerequisite" });

        var plan = await server.PlanAsync(new { title = "Child", parent_task_id = parent, dependencies = new[] { prerequisite } });

        plan.Str("task.parent_task_id").ShouldBe(parent);
        plan.Bool("ready").ShouldBeFalse();
        plan.Strs("ready_task_ids").ShouldBeEmpty();
        var dependency = plan.Items("task.dependencies").Single();
        dependency.Str("task_id").ShouldBe(prerequisite);
        dependency.Str("title").ShouldBe("Prerequisite");
        dependency.Str("status").ShouldBe("pending");
        dependency.Str("kind").ShouldBe("hard");
        dependency.Bool("satisfied").ShouldBeFalse();
    }

    [Fact]
    public async Task PlanTask_DependencyOnCompletedTask_IsReadyAtOnce()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var prerequisite = await server.PlanIdAsync(new { title = "Prerequisite" });
        await server.FinishAsync(prerequisite);

        var plan = await server.PlanAsync(new { title = "Follow-up", dependencies = new[] { prerequisite } });

        plan.Bool("ready").ShouldBeTrue();
        plan.Bool("task.ready").ShouldBeTrue();
        plan.Bool("task.dependencies.0.satisfied").ShouldBeTrue();
    }

    [Fact]
    public async Task PlanTask_AllFields_AreStoredAndReturned()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);

        var plan = await server.PlanAsync(new
        {
            title = "  Padded title  ",
            task_type = "review",
            complexity = "very_complex",
            priority = "critical",
            estimated_effort = "2h",
            due_date = "2026-12-01",
        });

        var task = plan.At("task");
        task.Str("title").ShouldBe("Padded title");
        task.Str("task_type").ShouldBe("review");
        task.Str("specialist_type").ShouldBe("reviewer");
        task.Str("complexity").ShouldBe("very_complex");
        task.Str("priority").ShouldBe("critical");
        task.Str("estimated_effort").ShouldBe("2h");
        task.Time("due_date").ShouldBe(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        task.Time("created_at").ShouldBe(server.Clock.GetUtcNow());
        task.Time("updated_at").ShouldBe(server.Clock.GetUtcNow());
        task.IsNull("started_at").ShouldBeTrue();
        task.IsNull("session_id").ShouldBeTrue();
        task.Int("version").ShouldBe(1);
    }

    [Fact]
    public async Task PlanTask_DueDateWithOffset_IsStoredInUtc()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);

        var plan = await server.PlanAsync(new { title = "Due", due_date = "2026-12-01T17:00:00+02:00" });

        plan.Time("task.due_date").ShouldBe(new DateTimeOffset(2026, 12, 1, 15, 0, 0, TimeSpan.Zero));
        plan.Time("task.due_date").Offset.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public async Task PlanTask_SameIdempotencyKeyTwice_ReplaysTheResultAndCreatesNothing()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var arguments = new { title = "Once only", idempotency_key = "plan-1", subtasks = new object[] { new { title = "Child" } } };

        var first = await server.CallAsync("orchestrator_plan_task", arguments);
        var before = server.Snapshot();
        var second = await server.CallAsync("orchestrator_plan_task", arguments);

        second.IsError.ShouldBeFalse();
        second.Structured.GetRawText().ShouldBe(first.Structured.GetRawText());
        second.Text.ShouldStartWith("(replayed from the idempotency key; nothing changed)");
        server.Snapshot().ShouldBe(before);
        before.Tasks.ShouldBe(2);
        before.IdempotencyRecords.ShouldBe(1);
    }

    [Fact]
    public async Task PlanTask_IdempotencyKeyReusedWithOtherArguments_ReturnsIdempotencyKeyReused()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        await server.PlanAsync(new { title = "First", idempotency_key = "plan-1" });
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_plan_task", new { title = "Second", idempotency_key = "plan-1" });

        error.Str("code").ShouldBe("idempotency_key_reused");
        error.Str("field").ShouldBe("idempotency_key");
        server.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task PlanTask_ArgumentsInAnotherOrder_ReplaysUnderTheSameKey()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var first = await server.CallAsync("orchestrator_plan_task", """{"title":"Ordered","priority":"low","idempotency_key":"k"}""");

        var second = await server.CallAsync("orchestrator_plan_task", """{ "idempotency_key": "k", "priority": "low", "title": "Ordered" }""");

        second.Structured.GetRawText().ShouldBe(first.Structured.GetRawText());
        StoreSnapshot.Value(server.DatabasePath, "SELECT count(*) FROM task").ShouldBe("1");
    }

    [Fact]
    public async Task PlanTask_InArchivedSession_IsRefusedWithIllegalTransition()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var session = (await server.InitializeAsync()).Str("session_id")!;
        await server.InitializeAsync(); // the caller's own session is never cleaned up, so move on from the first
        server.Clock.Advance(TimeSpan.FromDays(31));
        await server.OkAsync("orchestrator_cleanup_sessions", new { cleanup_type = "inactive", older_than_days = 30 });
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_plan_task", new { title = "Late", session_id = session });

        error.Str("code").ShouldBe("illegal_transition");
        error.Str("field").ShouldBe("session_id");
        error.Str("message").ShouldBe($"Session '{session}' is 'archived'; tasks cannot be planned in it.");
        server.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task PlanTask_StructuredContentRoundTrips_AsTheTextSays()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);

        var answer = await server.CallAsync("orchestrator_plan_task", ThreeLevelPlan);

        answer.Text.ShouldBe($"Planned task {answer.Structured.Str("task_id")} 'Ship the export feature' with 5 subtasks; 3 ready to start now.");
        answer.Structured.ValueKind.ShouldBe(JsonValueKind.Object);
    }
}
