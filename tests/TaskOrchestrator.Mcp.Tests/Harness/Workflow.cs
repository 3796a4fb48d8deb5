using System.Text.Json;

namespace TaskOrchestrator.Mcp.Tests.Harness;

/// <summary>The common steps of a test's setup, each a real tool call that must succeed.</summary>
internal static class Workflow
{
    public static Task<JsonElement> InitializeAsync(this OrchestratorServer server, string? name = null) =>
        server.OkAsync("orchestrator_initialize_session", name is null ? null : new { session_name = name });

    public static Task<JsonElement> PlanAsync(this OrchestratorServer server, object arguments) =>
        server.OkAsync("orchestrator_plan_task", arguments);

    /// <summary>Plans one task and returns its id.</summary>
    public static async Task<string> PlanIdAsync(this OrchestratorServer server, object arguments) =>
        (await server.PlanAsync(arguments)).Str("task_id")!;

    public static Task<JsonElement> ExecuteAsync(this OrchestratorServer server, string taskId, string? agentId = null) =>
        server.OkAsync("orchestrator_execute_task", agentId is null ? new { task_id = taskId } : new { task_id = taskId, agent_id = agentId });

    public static Task<JsonElement> CompleteAsync(this OrchestratorServer server, string taskId, string summary = "done", string? detailedWork = null, string? agentId = null) =>
        server.OkAsync("orchestrator_complete_task", new { task_id = taskId, summary, detailed_work = detailedWork, agent_id = agentId });

    /// <summary>Executes and completes a task.</summary>
    public static async Task<JsonElement> FinishAsync(this OrchestratorServer server, string taskId, string summary = "done", string? detailedWork = null)
    {
        await server.ExecuteAsync(taskId);
        return await server.CompleteAsync(taskId, summary, detailedWork);
    }

    /// <summary>The task as orchestrator_query_tasks returns it (archived included).</summary>
    public static async Task<JsonElement> GetTaskAsync(this OrchestratorServer server, string taskId)
    {
        var all = await server.OkAsync("orchestrator_query_tasks", new { include_archived = true, limit = 500 });
        return all.Items("tasks").Single(t => t.Str("task_id") == taskId);
    }
}
