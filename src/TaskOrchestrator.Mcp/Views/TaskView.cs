using System.ComponentModel;
using System.Text.Json;

namespace TaskOrchestrator.Mcp.Views;

/// <summary>A task as tools return it.</summary>
public sealed record TaskView(
    [property: Description("Task id.")] string TaskId,
    string Title,
    string? Description,
    [property: Description("standard, breakdown, milestone, review, approval, research, implementation, testing, documentation, deployment or custom.")] string TaskType,
    [property: Description("The specialist role that should do the work.")] string SpecialistType,
    [property: Description("trivial, simple, moderate, complex or very_complex.")] string Complexity,
    [property: Description("low, medium, high or critical.")] string Priority,
    [property: Description("pending, in_progress, blocked, completed, failed, cancelled or archived.")] string Status,
    [property: Description("Optimistic-concurrency version; pass it as expected_version to orchestrator_update_task.")] long Version,
    [property: Description("True when the task is pending and every hard dependency is completed.")] bool Ready,
    string? ParentTaskId,
    string? SessionId,
    [property: Description("The JSON object of context given when planning.")] JsonElement? Context,
    string? EstimatedEffort,
    DateTimeOffset? DueDate,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    [property: Description("The agent working on it while in progress.")] string? AssignedAgent,
    [property: Description("Why it is blocked, failed, cancelled, or was sent back for revision.")] string? StatusReason,
    [property: Description("The completion summary.")] string? ResultSummary,
    [property: Description("What it waits for, with each dependency's state.")] IReadOnlyList<DependencyView> Dependencies,
    [property: Description("Direct subtasks; present when include_children was set.")] IReadOnlyList<TaskRef>? Children,
    [property: Description("Artifacts without content; present when include_artifacts was set.")] IReadOnlyList<ArtifactView>? Artifacts);

/// <summary>A dependency with the state of the task depended on.</summary>
public sealed record DependencyView(
    [property: Description("The task depended on.")] string TaskId,
    string Title,
    string Status,
    [property: Description("hard (gates readiness) or soft.")] string Kind,
    [property: Description("True when it counts as done.")] bool Satisfied);

/// <summary>A short reference to a task.</summary>
public sealed record TaskRef(
    string TaskId,
    string Title,
    string Status,
    string SpecialistType,
    string Priority);

/// <summary>An artifact a task produced.</summary>
public sealed record ArtifactView(
    string ArtifactId,
    string TaskId,
    [property: Description("general, code, documentation, analysis, design, test, configuration, review or report.")] string ArtifactType,
    string Summary,
    [property: Description("sha256 of the content, as sha256:hex.")] string ContentHash,
    [property: Description("Content length in characters.")] long ContentLength,
    [property: Description("Workspace-relative paths of the files the work touched.")] IReadOnlyList<string> FilePaths,
    string? CreatedBy,
    DateTimeOffset CreatedAt,
    [property: Description("The detailed work; null where only references are returned.")] string? Content);

/// <summary>An entry of the event log.</summary>
public sealed record EventView(
    long Sequence,
    DateTimeOffset At,
    string Kind,
    string? TaskId,
    string? SessionId,
    string? Actor,
    string? From,
    string? To,
    [property: Description("Details of the event as a JSON object.")] JsonElement? Data);
