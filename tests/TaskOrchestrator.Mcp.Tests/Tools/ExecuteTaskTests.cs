using Shouldly;
using TaskOrchestrator.Mcp.Tests.Harness;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Mcp.Tests.Tools;

public sealed class ExecuteTaskTests
{
    [Fact]
    public async Task ExecuteTask_ReadyTask_StartsItForTheAgentAndRecordsTheEvent()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Write tests", task_type = "testing" });
        server.Clock.Advance(TimeSpan.FromMinutes(1));

        var answer = await server.CallAsync("orchestrator_execute_task", new { task_id = id, agent_id = "agent-1" });

        var result = answer.Ok();
        result.Str("task.status").ShouldBe("in_progress");
        result.Str("task.assigned_agent").ShouldBe("agent-1");
        result.Time("task.started_at").ShouldBe(server.Clock.GetUtcNow());
        result.Int("task.version").ShouldBe(2);
        result.Bool("already_in_progress").ShouldBeFalse();
        result.IsNull("parent_context").ShouldBeTrue();
        result.Items("ancestors").ShouldBeEmpty();
        result.Items("dependency_results").ShouldBeEmpty();
        result.Items("subtasks").ShouldBeEmpty();
        var lease = result.Str("lease.lease_token")!;
        lease.ShouldStartWith("lease_1_");
        result.Int("lease.fence").ShouldBe(1);
        result.Time("lease.lease_expires_at").ShouldBe(server.Clock.GetUtcNow() + TimeSpan.FromHours(1));
        result.Str("instructions")!.ShouldStartWith($"Work on this task as the Test Engineer. It is claimed for you until {server.Clock.GetUtcNow() + TimeSpan.FromHours(1):u}: call orchestrator_heartbeat with task_id='{id}' and lease_token='{lease}'");
        answer.Text.ShouldBe($"Started task {id} 'Write tests' as Test Engineer; 0 dependency results attached.");
        StoreSnapshot.Value(server.DatabasePath, $"SELECT from_state || '>' || to_state || '|' || actor || '|' || json_extract(data_json, '$.agent_id') FROM event WHERE task_id = '{id}' AND kind = 'status_changed'").ShouldBe("pending>in_progress|agent-1|agent-1");
    }

    [Fact]
    public async Task ExecuteTask_Always_HandsOverTheSpecialistPromptOfTheRole()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Write tests", task_type = "testing" });

        var result = await server.ExecuteAsync(id);

        result.Str("specialist.name").ShouldBe("tester");
        result.Str("specialist.title").ShouldBe("Test Engineer");
        result.Str("specialist.source").ShouldBe("builtin");
        result.Bool("specialist.fallback").ShouldBeFalse();
        var prompt = result.Str("specialist.prompt")!;
        prompt.ShouldStartWith("# Role: Test Engineer\n\nYou are acting as the tester for this task. Derive test cases from the requirements");
        prompt.ShouldContain("\n\n## Expertise\n- test design\n- boundary and edge cases\n");
        prompt.ShouldContain("\n\n## Expected deliverables\n- test cases with expected results\n");
        prompt.ShouldEndWith("\n\n## Check before reporting done\n- each requirement has at least one test\n- boundaries and invalid input are covered\n- tests are deterministic\n- every failure message explains what went wrong");
    }

    [Fact]
    public async Task ExecuteTask_WithCompletedDependencies_DeliversTheirResultsWithArtifactContent()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var design = await server.PlanIdAsync(new { title = "Design" });
        var research = await server.PlanIdAsync(new { title = "Research" });
        var build = await server.PlanIdAsync(new { title = "Build", dependencies = new[] { design, research } });
        await server.FinishAsync(design, "schema chosen", "CREATE TABLE t (id INTEGER);");
        await server.ExecuteAsync(research);
        await server.OkAsync("orchestrator_complete_task", new { task_id = research, summary = "library picked", detailed_work = "use Dapper", artifact_type = "analysis" });

        var result = await server.ExecuteAsync(build);

        var results = result.Items("dependency_results").OrderBy(r => r.Str("title")).ToArray();
        results.Select(r => r.Str("task_id")).ShouldBe([design, research]);
        results[0].Str("status").ShouldBe("completed");
        results[0].Str("kind").ShouldBe("hard");
        results[0].Str("result_summary").ShouldBe("schema chosen");
        results[0].Bool("content_truncated").ShouldBeFalse();
        results[0].Str("artifacts.0.content").ShouldBe("CREATE TABLE t (id INTEGER);");
        results[0].Str("artifacts.0.artifact_type").ShouldBe("general");
        results[1].Str("artifacts.0.content").ShouldBe("use Dapper");
        results[1].Str("artifacts.0.artifact_type").ShouldBe("analysis");
        results[1].Str("artifacts.0.summary").ShouldBe("library picked");
        result.Items("task.dependencies").ShouldAllBe(d => d.Bool("satisfied"));
    }

    [Fact]
    public async Task ExecuteTask_DependencyArtifactOver32KiB_IsCutAndFlagged()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var big = await server.PlanIdAsync(new { title = "Big output" });
        var next = await server.PlanIdAsync(new { title = "Consumer", dependencies = new[] { big } });
        await server.FinishAsync(big, "large", new string('x', 40_000));

        var result = await server.ExecuteAsync(next);

        result.Bool("dependency_results.0.content_truncated").ShouldBeTrue();
        result.Str("dependency_results.0.artifacts.0.content")!.Length.ShouldBe(32_768);
        result.Int("dependency_results.0.artifacts.0.content_length").ShouldBe(40_000);
    }

    [Fact]
    public async Task ExecuteTask_Subtask_CarriesParentContextAndAncestorsOutermostFirst()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var plan = await server.PlanAsync(new
        {
            title = "Epic",
            subtasks = new object[]
            {
                new
                {
                    title = "Feature",
                    description = "The feature to build.",
                    context = new { api = "REST", version = 2 },
                    subtasks = new object[] { new { title = "Leaf" } },
                },
            },
        });
        var feature = plan.Str("subtasks.0.task_id")!;
        var leaf = plan.Str("subtasks.1.task_id")!;

        var result = await server.ExecuteAsync(leaf);

        result.Str("parent_context.task_id").ShouldBe(feature);
        result.Str("parent_context.title").ShouldBe("Feature");
        result.Str("parent_context.description").ShouldBe("The feature to build.");
        result.Str("parent_context.status").ShouldBe("pending");
        result.At("parent_context.context").GetRawText().ShouldBe("""{"api":"REST","version":2}""");
        result.Pluck("ancestors", "task_id").ShouldBe([plan.Str("task_id")!, feature]);

        var parentView = await server.ExecuteAsync(feature);
        parentView.Pluck("subtasks", "task_id").ShouldBe([leaf]);
        parentView.Str("subtasks.0.status").ShouldBe("in_progress");
    }

    [Fact]
    public async Task ExecuteTask_UnfinishedDependencies_IsRefusedNamingThem()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var first = await server.PlanIdAsync(new { title = "First" });
        var second = await server.PlanIdAsync(new { title = "Second" });
        await server.ExecuteAsync(second);
        var last = await server.PlanIdAsync(new { title = "Last", dependencies = new[] { first, second } });
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_execute_task", new { task_id = last });

        error.Str("code").ShouldBe("dependencies_incomplete");
        error.Str("field").ShouldBe("task_id");
        var unfinished = error.Items("details.unfinished_dependencies").OrderBy(d => d.Str("title")).ToArray();
        unfinished.Select(d => d.Str("task_id")).ShouldBe([first, second]);
        unfinished.Select(d => d.Str("status")).ShouldBe(["pending", "in_progress"]);
        error.Str("message")!.ShouldStartWith($"Task '{last}' waits for 2 unfinished dependencies: ");
        error.Str("message")!.ShouldContain($"{first} (pending)");
        error.Str("message")!.ShouldContain($"{second} (in_progress)");
        server.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task ExecuteTask_SameAgentAgain_ReturnsTheContextWithoutChangingAnything()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Resumable" });
        var first = await server.ExecuteAsync(id, "agent-1");
        var before = server.Snapshot();

        var answer = await server.CallAsync("orchestrator_execute_task", new { task_id = id, agent_id = "agent-1" });

        var second = answer.Ok();
        second.Bool("already_in_progress").ShouldBeTrue();
        second.Int("task.version").ShouldBe(first.Int("task.version"));
        second.Str("task.started_at").ShouldBe(first.Str("task.started_at"));
        answer.Text.ShouldBe($"Task {id} 'Resumable' was already in progress by you (agent-1); here is its context again, with your claim's lease token.");
        second.Str("lease.lease_token").ShouldBe(first.Str("lease.lease_token"));
        server.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task ExecuteTask_HeldByAnotherAgent_ReturnsTaskHeldNamingTheHolder()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Contended" });
        await server.ExecuteAsync(id, "agent-1");
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_execute_task", new { task_id = id, agent_id = "agent-2" });

        error.Str("code").ShouldBe("task_held");
        error.Str("field").ShouldBe("task_id");
        error.Str("details.held_by").ShouldBe("agent-1");
        error.Time("details.started_at").ShouldBe(server.Clock.GetUtcNow());
        error.Str("message").ShouldBe($"Task '{id}' is already in progress by agent 'agent-1' since 2026-11-21 09:00:00Z.");
        server.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task ExecuteTask_BlockedTask_IsRefusedWithTheReason()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Stuck" });
        await server.OkAsync("orchestrator_update_task", new { task_id = id, status = "blocked", status_reason = "waiting for keys" });
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_execute_task", new { task_id = id });

        error.Str("code").ShouldBe("illegal_transition");
        error.Str("field").ShouldBe("task_id");
        error.Str("message").ShouldBe($"Task '{id}' is blocked: waiting for keys.");
        server.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task ExecuteTask_CompletedTask_IsRefusedAsIllegalTransition()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Done" });
        await server.FinishAsync(id);
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_execute_task", new { task_id = id });

        error.Str("code").ShouldBe("illegal_transition");
        error.Str("message").ShouldBe($"Task '{id}' is 'completed'; it cannot move to 'in_progress'. Allowed from 'completed': pending, archived.");
        server.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task ExecuteTask_RoleRemovedFromWorkspace_FallsBackToTheGenericRole()
    {
        using var workspace = new TemporaryDirectory("to-mcp-roles");
        var rolesPath = Path.Combine(workspace.Path, ".task-orchestrator", "roles.json");
        Directory.CreateDirectory(Path.GetDirectoryName(rolesPath)!);
        await File.WriteAllTextAsync(rolesPath, """[{ "name": "auditor", "description": "Audits.", "prompt": "Audit it." }]""", TestContext.Current.CancellationToken);
        await using var server = await OrchestratorServer.StartAsync(workspace.Path, TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Audit", specialist_type = "auditor" });
        File.Delete(rolesPath);

        var result = await server.ExecuteAsync(id);

        result.Str("task.specialist_type").ShouldBe("auditor");
        result.Str("specialist.name").ShouldBe("generic");
        result.Bool("specialist.fallback").ShouldBeTrue();
    }
}
