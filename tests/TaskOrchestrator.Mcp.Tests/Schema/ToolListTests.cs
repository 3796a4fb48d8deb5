using System.Text.Json;
using System.Text.RegularExpressions;
using Shouldly;
using TaskOrchestrator.Mcp.Tests.Harness;

namespace TaskOrchestrator.Mcp.Tests.Schema;

public sealed partial class ToolListTests : IClassFixture<ToolListTests.ListedTools>
{
    private static readonly string[] ToolNames =
    [
        "orchestrator_initialize_session", "orchestrator_list_sessions", "orchestrator_resume_session", "orchestrator_session_status",
        "orchestrator_cleanup_sessions", "orchestrator_plan_task", "orchestrator_update_task", "orchestrator_cancel_task",
        "orchestrator_delete_task", "orchestrator_query_tasks", "orchestrator_execute_task", "orchestrator_complete_task",
        "orchestrator_synthesize_results", "orchestrator_get_status", "orchestrator_maintenance_coordinator", "orchestrator_validate_dependencies",
        "orchestrator_health_check", "orchestrator_shutdown_prepare", "orchestrator_restart_server", "orchestrator_restart_status",
        "orchestrator_reconnect_test", "orchestrator_claim_next_task", "orchestrator_heartbeat", "orchestrator_release_task",
        "orchestrator_register_agent", "orchestrator_agent_status",
    ];

    private static readonly string[] Statuses = ["pending", "in_progress", "blocked", "completed", "failed", "cancelled", "archived"];
    private static readonly string[] TaskTypes = ["standard", "breakdown", "milestone", "review", "approval", "research", "implementation", "testing", "documentation", "deployment", "custom"];
    private static readonly string[] Complexities = ["trivial", "simple", "moderate", "complex", "very_complex"];
    private static readonly string[] Priorities = ["low", "medium", "high", "critical"];

    private readonly ListedTools _tools;

    public ToolListTests(ListedTools tools)
    {
        _tools = tools;
    }

    public static TheoryData<string, string, string[]> Enums => new()
    {
        { "orchestrator_update_task", "status", ["pending", "blocked", "failed", "cancelled", "archived"] },
        { "orchestrator_query_tasks", "status", Statuses },
        { "orchestrator_list_sessions", "status", ["all", "active", "archived"] },
        { "orchestrator_plan_task", "task_type", TaskTypes },
        { "orchestrator_plan_task", "subtasks.task_type", TaskTypes },
        { "orchestrator_update_task", "task_type", TaskTypes },
        { "orchestrator_query_tasks", "task_type", TaskTypes },
        { "orchestrator_claim_next_task", "task_types", TaskTypes },
        { "orchestrator_plan_task", "complexity", Complexities },
        { "orchestrator_plan_task", "subtasks.complexity", Complexities },
        { "orchestrator_update_task", "complexity", Complexities },
        { "orchestrator_query_tasks", "complexity", Complexities },
        { "orchestrator_plan_task", "priority", Priorities },
        { "orchestrator_plan_task", "subtasks.priority", Priorities },
        { "orchestrator_update_task", "priority", Priorities },
        { "orchestrator_query_tasks", "priority", Priorities },
        { "orchestrator_complete_task", "next_action", ["continue", "needs_revision", "blocked", "complete"] },
        { "orchestrator_complete_task", "artifact_type", ["general", "code", "documentation", "analysis", "design", "test", "configuration", "review", "report"] },
        { "orchestrator_query_tasks", "sort", ["created_asc", "created_desc", "updated_desc", "priority", "due_date", "title"] },
        { "orchestrator_maintenance_coordinator", "action", ["scan_cleanup", "validate_structure", "update_documentation", "prepare_handover"] },
        { "orchestrator_maintenance_coordinator", "scope", ["workspace", "session", "subtree"] },
        { "orchestrator_maintenance_coordinator", "validation_level", ["basic", "standard", "thorough"] },
        { "orchestrator_validate_dependencies", "scope", ["workspace", "session", "subtree"] },
        { "orchestrator_cleanup_sessions", "cleanup_type", ["inactive", "completed", "empty", "all"] },
        { "orchestrator_register_agent", "kind", ["llm", "worker"] },
        { "orchestrator_restart_server", "reason", ["configuration_update", "schema_migration", "error_recovery", "manual_request", "emergency_shutdown"] },
    };

    [Fact]
    public void ListTools_Always_ListsTheTaskSessionClaimAgentAndServerTools()
    {
        _tools.Tools.Select(t => t.Name).ShouldBe(ToolNames, ignoreOrder: true);
        _tools.Tools.Count.ShouldBe(26);
        _tools.Tools.ShouldAllBe(t => !string.IsNullOrWhiteSpace(t.Description) && !string.IsNullOrWhiteSpace(t.Title));
    }

    [Fact]
    public void ListTools_EveryParameterAtAnyDepth_HasASnakeCaseName()
    {
        var names = _tools.Tools.SelectMany(t => Parameters(t.InputSchema, t.Name)).ToArray();

        names.Length.ShouldBeGreaterThan(100);
        names.Where(n => !SnakeCase().IsMatch(n.Name)).Select(n => n.Path).ShouldBeEmpty();
    }

    [Fact]
    public void ListTools_EveryTopLevelParameter_HasADescription()
    {
        var undescribed = _tools.Tools
            .SelectMany(t => t.InputSchema.GetProperty("properties").EnumerateObject().Select(p => (Path: $"{t.Name}.{p.Name}", Schema: p.Value)))
            .Where(p => !HasDescription(p.Schema))
            .Select(p => p.Path);

        undescribed.ShouldBeEmpty();
    }

    [Fact]
    public void ListTools_EveryNestedSubtaskParameter_HasADescription()
    {
        var plan = _tools.Tools.Single(t => t.Name == "orchestrator_plan_task");

        var undescribed = Parameters(plan.InputSchema, plan.Name).Where(p => !HasDescription(p.Schema)).Select(p => p.Path);

        undescribed.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Enums))]
    public void ListTools_EnumeratedParameter_PublishesItsValuesAsAnEnum(string tool, string parameter, string[] values)
    {
        var schema = _tools.Tools.Single(t => t.Name == tool).InputSchema;
        foreach (var segment in parameter.Split('.'))
        {
            schema = Items(schema).GetProperty("properties").GetProperty(segment);
        }

        var enumerated = Items(schema).GetProperty("enum").EnumerateArray().Where(v => v.ValueKind != JsonValueKind.Null).Select(v => v.GetString()).ToArray();
        enumerated.ShouldBe(values);
    }

    [Fact]
    public void ListTools_EveryOutputSchema_HasTheResultAndTheErrorBranches()
    {
        foreach (var tool in _tools.Tools)
        {
            tool.OutputSchema.ShouldNotBeNull(tool.Name);
            var output = tool.OutputSchema.Value;
            output.GetProperty("type").GetString().ShouldBe("object", tool.Name);
            var branches = output.GetProperty("anyOf").EnumerateArray().ToArray();
            branches.Length.ShouldBe(2, tool.Name);
            branches[0].GetProperty("required").GetArrayLength().ShouldBeGreaterThan(0, tool.Name);
            branches[1].GetProperty("required").EnumerateArray().Select(r => r.GetString()).ShouldBe(["error"], tool.Name);
            var error = output.GetProperty("properties").GetProperty("error");
            error.GetProperty("properties").EnumerateObject().Select(p => p.Name).ShouldBe(["code", "message", "field", "allowed", "hint", "details"], tool.Name);
            error.GetProperty("required").EnumerateArray().Select(r => r.GetString()).ShouldBe(["code", "message"], tool.Name);
            output.TryGetProperty("required", out _).ShouldBeFalse(tool.Name);
        }
    }

    [Fact]
    public void ListTools_Annotations_MarkReadOnlyAndDestructiveTools()
    {
        var byName = _tools.Tools.ToDictionary(t => t.Name);

        new[] { "orchestrator_query_tasks", "orchestrator_get_status", "orchestrator_synthesize_results", "orchestrator_list_sessions", "orchestrator_session_status", "orchestrator_validate_dependencies" }
            .ShouldAllBe(n => byName[n].Annotations!.ReadOnlyHint == true);
        new[] { "orchestrator_delete_task", "orchestrator_cancel_task", "orchestrator_cleanup_sessions", "orchestrator_maintenance_coordinator" }
            .ShouldAllBe(n => byName[n].Annotations!.DestructiveHint == true);
        byName.Values.ShouldAllBe(t => t.Annotations!.OpenWorldHint == false);
    }

    private static bool HasDescription(JsonElement schema) =>
        schema.TryGetProperty("description", out var d) && !string.IsNullOrWhiteSpace(d.GetString());

    private static JsonElement Items(JsonElement schema) =>
        schema.TryGetProperty("items", out var items) && !schema.TryGetProperty("enum", out _) ? items : schema;

    /// <summary>Every property of an input schema, nested object properties (such as subtask specs) included; $ref cycles are not followed.</summary>
    private static IEnumerable<(string Name, string Path, JsonElement Schema)> Parameters(JsonElement schema, string path)
    {
        schema = Items(schema);
        if (!schema.TryGetProperty("properties", out var properties))
        {
            yield break;
        }

        foreach (var property in properties.EnumerateObject())
        {
            var propertyPath = $"{path}.{property.Name}";
            yield return (property.Name, propertyPath, property.Value);
            foreach (var nested in Parameters(property.Value, propertyPath))
            {
                yield return nested;
            }
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();

    /// <summary>The tool list of one server, read once for the class.</summary>
    public sealed class ListedTools : IAsyncLifetime
    {
        internal IList<ModelContextProtocol.Protocol.Tool> Tools { get; private set; } = [];

        public async ValueTask InitializeAsync()
        {
            await using var server = await OrchestratorServer.StartAsync();
            Tools = [.. (await server.Client.ListToolsAsync()).Select(t => t.ProtocolTool)];
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
