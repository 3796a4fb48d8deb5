using System.Globalization;
using System.Text.Json;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Tasks.Execution;
using TaskOrchestrator.Mcp.Json;
using TaskOrchestrator.Mcp.Results;
using TaskOrchestrator.Mcp.Tools;

namespace TaskOrchestrator.Server.Headless;

/// <summary>
/// What a task's command is given: on stdin, the JSON that orchestrator_execute_task returns as its
/// structured result (the task, the specialist role prompt, the parent's context, the dependencies'
/// results, the claim) with instructions for a command; in its environment, the facts a script needs
/// most, so that a one-liner does not have to parse JSON.
/// </summary>
internal static class TaskInput
{
    public const string TaskIdVariable = "TASK_ORCHESTRATOR_TASK_ID";
    public const string TitleVariable = "TASK_ORCHESTRATOR_TASK_TITLE";
    public const string TaskTypeVariable = "TASK_ORCHESTRATOR_TASK_TYPE";
    public const string SpecialistVariable = "TASK_ORCHESTRATOR_SPECIALIST";
    public const string ParentTaskIdVariable = "TASK_ORCHESTRATOR_PARENT_TASK_ID";
    public const string LeaseTokenVariable = "TASK_ORCHESTRATOR_LEASE_TOKEN";
    public const string FenceVariable = "TASK_ORCHESTRATOR_FENCE";
    public const string AgentIdVariable = "TASK_ORCHESTRATOR_AGENT_ID";

    /// <summary>The workspace root; the same variable the server reads, so a client the command starts lands in the same workspace.</summary>
    public const string WorkspaceVariable = Mcp.Workspaces.WorkspaceResolver.EnvironmentVariable;

    /// <summary>The execution context as JSON, in the shape of orchestrator_execute_task's structured result.</summary>
    public static string Json(ExecutionOutcome claimed, string agentId)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        var execution = ExecutionTools.Executed(claimed, agentId) with
        {
            Instructions = $"Do this task as the {claimed.Role.Title}. Write the result to stdout and exit 0: the worker stores stdout and stderr as the task's artifact and completes the task. Exit with any other code to fail it, with the end of your output as the reason. The worker heartbeats the claim while you run; do not report this task yourself.",
        };
        return JsonSerializer.Serialize(execution, McpJson.Options.GetTypeInfo(typeof(ExecuteTaskResult)));
    }

    /// <summary>The variables added to the command's environment.</summary>
    public static Dictionary<string, string> Environment(ExecutionOutcome claimed, string agentId, string workspaceRoot)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        var task = claimed.Task;
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [TaskIdVariable] = task.Id,
            [TitleVariable] = task.Title,
            [TaskTypeVariable] = WireNames.Of(task.Type),
            [SpecialistVariable] = claimed.Role.Name,
            [LeaseTokenVariable] = task.LeaseToken ?? string.Empty,
            [FenceVariable] = task.LeaseFence.ToString(CultureInfo.InvariantCulture),
            [AgentIdVariable] = agentId,
            [WorkspaceVariable] = workspaceRoot,
            [ParentTaskIdVariable] = task.ParentId ?? string.Empty,
        };
        return variables;
    }
}
