using System.ComponentModel;
using System.Text.Json;
using TaskOrchestrator.Mcp.Views;

namespace TaskOrchestrator.Mcp.Results;

/// <summary>The specialist role to adopt.</summary>
public sealed record SpecialistContextView(
    string Name,
    string Title,
    [property: Description("The full role prompt: adopt it while working on the task.")] string Prompt,
    [property: Description("builtin, workspace or builtin+workspace.")] string Source,
    [property: Description("True when the task names a role this workspace no longer defines, so the generic role stands in.")] bool Fallback);

/// <summary>The parent task's context.</summary>
public sealed record ParentContextView(string TaskId, string Title, string? Description, JsonElement? Context, string Status);

/// <summary>What a dependency produced.</summary>
public sealed record DependencyResultView(
    string TaskId,
    string Title,
    string Status,
    string Kind,
    [property: Description("The dependency's completion summary.")] string? ResultSummary,
    [property: Description("Its artifacts with content (cut to 32 KiB each, 256 KiB in all).")] IReadOnlyList<ArtifactView> Artifacts,
    [property: Description("True when some artifact content was cut.")] bool ContentTruncated);

/// <summary>Result of orchestrator_execute_task.</summary>
public sealed record ExecuteTaskResult(
    TaskView Task,
    [property: Description("True when this agent had already started the task; nothing changed.")] bool AlreadyInProgress,
    SpecialistContextView Specialist,
    [property: Description("The direct parent's goal and context, or null for a top-level task.")] ParentContextView? ParentContext,
    [property: Description("The chain of parent tasks, outermost first.")] IReadOnlyList<TaskRef> Ancestors,
    [property: Description("What the tasks it depends on produced.")] IReadOnlyList<DependencyResultView> DependencyResults,
    [property: Description("Its subtasks, if it has any.")] IReadOnlyList<TaskRef> Subtasks,
    [property: Description("Your claim on the task when an agent_id claimed it: the lease token every later write must present, and until when it holds without a heartbeat. Null when started without an agent_id.")] LeaseView? Lease,
    [property: Description("How to report the work when done.")] string Instructions);

/// <summary>A claim on a task in progress.</summary>
public sealed record LeaseView(
    [property: Description("The claim's secret: pass it to orchestrator_heartbeat, orchestrator_complete_task, orchestrator_update_task and orchestrator_release_task.")] string LeaseToken,
    [property: Description("The fencing number: how many times the task has been claimed, this claim included. A later claim always has a higher number.")] long Fence,
    [property: Description("When the claim lapses unless renewed by orchestrator_heartbeat; then the task goes back to pending and the token stops working.")] DateTimeOffset LeaseExpiresAt,
    [property: Description("The lease length each heartbeat renews.")] int LeaseSeconds)
{
    /// <summary>The claim on <paramref name="task"/>, or null when no agent holds it under a claim.</summary>
    public static LeaseView? Of(Core.Tasks.TaskRecord task) =>
        task.LeaseToken is null ? null : new LeaseView(task.LeaseToken, task.LeaseFence, task.LeaseExpiresAt!.Value, task.LeaseSeconds ?? 0);
}

/// <summary>How far a parent's subtasks have come.</summary>
public sealed record ParentProgressView(
    string ParentTaskId,
    string Title,
    int TotalSubtasks,
    int CompletedSubtasks,
    [property: Description("Subtasks that have ended in any way.")] int EndedSubtasks,
    int PercentComplete,
    [property: Description("True when no subtask is still open, so the parent can be completed.")] bool AllSubtasksEnded);

/// <summary>Result of orchestrator_complete_task.</summary>
public sealed record CompleteTaskResult(
    TaskView Task,
    [property: Description("The next_action applied.")] string Action,
    [property: Description("The stored artifact (content not echoed).")] ArtifactView Artifact,
    [property: Description("Tasks that became ready because this one completed.")] IReadOnlyList<TaskRef> NewlyReadyTasks,
    [property: Description("The parent's progress, or null for a top-level task.")] ParentProgressView? ParentProgress,
    [property: Description("What to do next.")] string NextSteps);
