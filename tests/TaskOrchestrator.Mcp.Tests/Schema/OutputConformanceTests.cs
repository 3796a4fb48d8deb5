using System.Text.Json;
using Shouldly;
using TaskOrchestrator.Mcp.Tests.Harness;

namespace TaskOrchestrator.Mcp.Tests.Schema;

public sealed class OutputConformanceTests
{
    [Fact]
    public async Task CallTool_EveryToolSucceedingAndFailing_ReturnsStructuredContentThatConformsToItsOutputSchema()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var schemas = (await server.Client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken))
            .ToDictionary(t => t.Name, t => t.ProtocolTool.OutputSchema!.Value);
        await File.WriteAllTextAsync(Path.Combine(server.Workspace, "notes.md"), "notes", TestContext.Current.CancellationToken);
        var answers = new List<ToolAnswer>();

        async Task<JsonElement> Ok(string tool, object? arguments = null)
        {
            var answer = await server.CallAsync("orchestrator_" + tool, arguments);
            answers.Add(answer);
            return answer.Ok();
        }

        var session = (await Ok("initialize_session", new { session_name = "conformance" })).Str("session_id")!;
        var plan = await Ok("plan_task", new { title = "Root", session_id = session, context = new { a = 1 }, subtasks = new object[] { new { key = "a", title = "A" }, new { title = "B", dependencies = new[] { "a" } } } });
        var (a, b) = (plan.Str("subtasks.0.task_id")!, plan.Str("subtasks.1.task_id")!);
        await Ok("update_task", new { task_id = b, priority = "high", due_date = "2026-12-01" });
        var claim = await Ok("claim_next_task", new { agent_id = "agent-1", lease_seconds = 60 });
        claim.Str("execution.task.task_id").ShouldBe(a);
        var lease = claim.Str("execution.lease.lease_token");
        await Ok("heartbeat", new { task_id = a, lease_token = lease });
        await Ok("release_task", new { task_id = a, lease_token = lease, reason = "conformance" });
        lease = (await Ok("execute_task", new { task_id = a, agent_id = "agent-1" })).Str("lease.lease_token");
        await Ok("complete_task", new { task_id = a, summary = "A done", detailed_work = "work", file_paths = new[] { "notes.md" }, agent_id = "agent-1", lease_token = lease });
        await Ok("claim_next_task", new { agent_id = "agent-2", specialist_types = new[] { "architect" } });
        await Ok("register_agent", new { agent_id = "agent-3", name = "Agent three", kind = "worker", specialist_types = new[] { "tester" } });
        await Ok("agent_status");
        await Ok("agent_status", new { agent_id = "agent-1" });
        var unknownAgent = await server.CallAsync("orchestrator_agent_status", new { agent_id = "agent-unknown" });
        unknownAgent.Error().Str("code").ShouldBe("not_found");
        answers.Add(unknownAgent);
        await Ok("execute_task", new { task_id = b });
        await Ok("query_tasks", new { include_children = true, include_artifacts = true });
        await Ok("synthesize_results", new { parent_task_id = plan.Str("task_id") });
        await Ok("get_status", new { include_completed = true, include_performance_metrics = true, include_resource_usage = true, include_slo = true });
        await Ok("session_status", new { session_id = session });
        await Ok("list_sessions");
        await Ok("resume_session", new { session_id = session });
        foreach (var action in new[] { "scan_cleanup", "validate_structure", "update_documentation", "prepare_handover" })
        {
            await Ok("maintenance_coordinator", new { action, dry_run = true, validation_level = "thorough" });
        }

        await Ok("validate_dependencies", new { scope = "subtree", target_task_id = plan.Str("task_id"), min_dependents = 2 });
        await Ok("cancel_task", new { task_id = b });
        var other = await server.PlanIdAsync(new { title = "Other" });
        await Ok("delete_task", new { task_id = other });
        await Ok("cleanup_sessions", new { cleanup_type = "all", dry_run = true });
        await Ok("health_check", new { include_reboot_readiness = true, include_connection_status = true, include_database_status = true });
        await Ok("shutdown_prepare");
        await Ok("restart_status", new { include_history = true, include_error_details = true });
        await Ok("reconnect_test", new { session_id = session });
        var restart = await server.CallAsync("orchestrator_restart_server", new { reason = "configuration_update" });
        restart.Error().Str("code").ShouldBe("not_supervised");
        answers.Add(restart);
        HandEditDanglingDependency(server.DatabasePath, plan.Str("task_id")!);
        var validation = await Ok("validate_dependencies");
        validation.Items("findings").Length.ShouldBe(1);
        foreach (var tool in schemas.Keys)
        {
            answers.Add(await server.CallAsync(tool, new { not_an_argument = true }));
        }

        answers.Select(x => x.Tool).Distinct().Count().ShouldBe(26);
        answers.Count(x => x.IsError).ShouldBe(28);
        var violations = answers.SelectMany(x => SchemaConformance.Violations(schemas[x.Tool], x.Structured).Select(v => $"{x.Tool}{(x.IsError ? " (error)" : string.Empty)}: {v}"));
        violations.ShouldBeEmpty();
    }

    // A dependency on a task that does not exist, as a hand edit leaves it: the tools refuse to create one.
    private static void HandEditDanglingDependency(string databasePath, string taskId)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={databasePath};Pooling=False;Foreign Keys=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO dependency (workspace_id, task_id, depends_on_id, kind, created_at) SELECT workspace_id, id, 'task_missing', 'hard', 0 FROM task WHERE id = $id";
        command.Parameters.AddWithValue("$id", taskId);
        command.ExecuteNonQuery().ShouldBe(1);
    }

    [Fact]
    public async Task SchemaConformance_ResultMissingAFieldOrCarryingAnUnknownOne_IsReported()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var schema = (await server.Client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken)).Single(t => t.Name == "orchestrator_delete_task").ProtocolTool.OutputSchema!.Value;

        var violations = SchemaConformance.Violations(schema, JsonDocument.Parse("""{"action":"deleted","task_id":"t","affected_task_ids":[1],"unlinked_dependencies":[],"extra":true}""").RootElement);

        violations.ShouldContain("$.affected_task_ids[0]: Number does not match type \"string\"");
        violations.ShouldContain("$: 'extra' is not in the schema");
        violations.ShouldContain(v => v.StartsWith("$: matches no anyOf branch", StringComparison.Ordinal) && v.Contains("required 'artifacts_deleted' is missing", StringComparison.Ordinal));
    }
}
