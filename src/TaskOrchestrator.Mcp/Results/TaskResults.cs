using System.ComponentModel;
using System.Text.Json;
using TaskOrchestrator.Mcp.Views;

namespace TaskOrchestrator.Mcp.Results;

/// <summary>Result of orchestrator_plan_task.</summary>
public sealed record PlanTaskResult(
    [property: Description("The top task created.")] string TaskId,
    long Version,
    string Status,
    bool Ready,
    TaskView Task,
    [property: Description("Every subtask created, parents before children, in the order given.")] IReadOnlyList<PlannedSubtaskView> Subtasks,
    [property: Description("Tasks created in all, the top task included.")] int CreatedCount,
    [property: Description("Created tasks that can start now.")] IReadOnlyList<string> ReadyTaskIds);

/// <summary>A subtask a plan created.</summary>
public sealed record PlannedSubtaskView(
    [property: Description("The local key given in the plan, if any.")] string? Key,
    [property: Description("Where the spec was in the request, e.g. subtasks[1].subtasks[0].")] string Path,
    string TaskId,
    string Title,
    string? ParentTaskId,
    string Status,
    string SpecialistType,
    [property: Description("Ids of the tasks it waits for.")] IReadOnlyList<string> DependsOn,
    bool Ready);

/// <summary>One field an update changed.</summary>
public sealed record ChangeView(string Field, JsonElement? From, JsonElement? To);

/// <summary>Result of orchestrator_update_task.</summary>
public sealed record UpdateTaskResult(
    TaskView Task,
    [property: Description("Each change applied, with old and new values; empty when nothing changed.")] IReadOnlyList<ChangeView> ChangesApplied,
    [property: Description("The task's version now.")] long Version);

/// <summary>A dependency edge removed because its target was deleted.</summary>
public sealed record UnlinkedDependencyView(
    [property: Description("The task that depended on a deleted task.")] string TaskId,
    [property: Description("The deleted task it depended on.")] string DependedOn);

/// <summary>Result of orchestrator_delete_task.</summary>
public sealed record DeleteTaskResult(
    [property: Description("deleted or archived.")] string Action,
    string TaskId,
    [property: Description("Every task deleted or archived, the requested one first.")] IReadOnlyList<string> AffectedTaskIds,
    [property: Description("Dependencies removed from tasks outside the deleted subtree.")] IReadOnlyList<UnlinkedDependencyView> UnlinkedDependencies,
    int ArtifactsDeleted);

/// <summary>Result of orchestrator_cancel_task.</summary>
public sealed record CancelTaskResult(
    TaskView Task,
    [property: Description("Every task cancelled, the requested one first.")] IReadOnlyList<string> CancelledTaskIds,
    [property: Description("True when the artifacts of the cancelled tasks were kept.")] bool PreservedWork,
    int ArtifactsDiscarded,
    [property: Description("Open tasks that depend on cancelled work and so will not become ready until the dependency is removed or the work reopened.")] IReadOnlyList<TaskRef> AffectedDependents);
