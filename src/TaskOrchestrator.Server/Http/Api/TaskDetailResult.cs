using System.ComponentModel;
using TaskOrchestrator.Mcp.Results;
using TaskOrchestrator.Mcp.Views;

namespace TaskOrchestrator.Server.Http.Api;

/// <summary>
/// <c>GET /api/tasks/{id}</c>: one task as orchestrator_query_tasks shows it (with its subtasks and
/// artifacts), where it sits in the tree, what waits for it, and its history from the event log.
/// </summary>
internal sealed record TaskDetailResult(
    [property: Description("The task, with its dependencies, direct subtasks and artifacts.")] TaskView Task,
    [property: Description("Its parent, the parent's parent and so on, the root first.")] IReadOnlyList<TaskRef> Ancestors,
    [property: Description("The tasks that depend on this one.")] IReadOnlyList<DependentView> Dependents,
    [property: Description("The task's events, oldest first.")] IReadOnlyList<EventView> Events,
    [property: Description("True when the task has more events than were returned (see events_limit).")] bool EventsTruncated,
    WorkspaceView Workspace);

/// <summary>A task that depends on the task shown.</summary>
internal sealed record DependentView(
    string TaskId,
    string Title,
    string Status,
    [property: Description("hard (it cannot start before this task completes) or soft.")] string Kind);
