using System.ComponentModel;
using TaskOrchestrator.Mcp.Views;

namespace TaskOrchestrator.Mcp.Results;

/// <summary>orchestrator_claim_next_task: the claimed task with its context, or why there was none.</summary>
public sealed record ClaimNextTaskResult(
    [property: Description("True when a task was claimed for you.")] bool Claimed,
    [property: Description("The claimed task with its specialist context and your claim (lease token, fence, expiry); null when nothing was ready for you.")] ExecuteTaskResult? Execution,
    [property: Description("When nothing was claimed: pending tasks in the workspace (waiting for dependencies, for their subtasks, or for other roles or types), counted up to 1000; 1000 means 1000 or more.")] int PendingTasks,
    [property: Description("When nothing was claimed: tasks in progress, whose completion may make more ready, counted up to 1000; 1000 means 1000 or more.")] int InProgressTasks,
    [property: Description("What to do next.")] string Message);

/// <summary>orchestrator_heartbeat: the renewed claim.</summary>
public sealed record HeartbeatResult(
    string TaskId,
    [property: Description("The agent holding the claim.")] string AgentId,
    LeaseView Lease);

/// <summary>orchestrator_release_task: the task, back to pending.</summary>
public sealed record ReleaseTaskResult(
    TaskView Task,
    [property: Description("The agent whose claim ended.")] string ReleasedFromAgent,
    [property: Description("The fencing number of the claim that ended.")] long Fence);
