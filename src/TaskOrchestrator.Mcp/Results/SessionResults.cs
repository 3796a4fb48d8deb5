using System.ComponentModel;
using TaskOrchestrator.Mcp.Views;

namespace TaskOrchestrator.Mcp.Results;

/// <summary>Where a workspace lives and how it was chosen.</summary>
public sealed record WorkspaceView(
    [property: Description("Canonical workspace folder.")] string Root,
    string WorkspaceId,
    [property: Description("How the folder was chosen: working_directory, session, --workspace, TASK_ORCHESTRATOR_WORKSPACE, mcp_root, git_root or current_directory.")] string ResolvedFrom,
    [property: Description("Storage backend, e.g. sqlite.")] string Backend,
    [property: Description("The database file (or server) holding the workspace.")] string DatabasePath);

/// <summary>A specialist role of the roster.</summary>
public sealed record RoleView(
    [property: Description("Use this as specialist_type.")] string Name,
    string Title,
    string Description,
    IReadOnlyList<string> Expertise,
    [property: Description("builtin, workspace (from roles.json) or builtin+workspace (overridden).")] string Source);

/// <summary>Result of orchestrator_initialize_session.</summary>
public sealed record InitializeSessionResult(
    [property: Description("The new session; tasks planned on this connection belong to it.")] string SessionId,
    string SessionName,
    DateTimeOffset CreatedAt,
    WorkspaceView Workspace,
    [property: Description("The specialist roles available for specialist_type.")] IReadOnlyList<RoleView> SpecialistRoles,
    [property: Description("How to plan and work through tasks with this server (markdown).")] string Guidance);

/// <summary>A session with its progress.</summary>
public sealed record SessionView(
    string SessionId,
    string Name,
    [property: Description("active or archived.")] string Status,
    string? ClientInfo,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastActivityAt,
    [property: Description("Task counts by status.")] IReadOnlyDictionary<string, int> TaskCounts,
    int TotalTasks,
    int CompletedTasks,
    [property: Description("Completed tasks as a percentage of all, rounded down.")] int ProgressPercent,
    [property: Description("True for the session current on this connection.")] bool IsCurrent);

/// <summary>Result of orchestrator_list_sessions.</summary>
public sealed record ListSessionsResult(
    IReadOnlyList<SessionView> Sessions,
    int TotalCount,
    bool HasMore,
    int? NextOffset,
    WorkspaceView Workspace);

/// <summary>Where a session's work stands.</summary>
public sealed record SessionProgressView(
    SessionView Session,
    [property: Description("Tasks in progress: continue or release these first.")] IReadOnlyList<TaskRef> InProgress,
    int InProgressTotal,
    [property: Description("Tasks ready to start, in hand-out order.")] IReadOnlyList<TaskRef> Ready,
    int ReadyTotal,
    [property: Description("Blocked tasks with their reasons.")] IReadOnlyList<BlockedTaskView> Blocked,
    int BlockedTotal,
    [property: Description("Pending tasks waiting for unfinished dependencies.")] IReadOnlyList<WaitingTaskView> Waiting,
    int WaitingTotal,
    [property: Description("Recently completed tasks, newest first.")] IReadOnlyList<TaskRef> RecentlyCompleted,
    [property: Description("The session's newest events, newest first.")] IReadOnlyList<EventView> RecentEvents);

/// <summary>A blocked task and why.</summary>
public sealed record BlockedTaskView(TaskRef Task, string? Reason);

/// <summary>A waiting task and what it waits for.</summary>
public sealed record WaitingTaskView(TaskRef Task, IReadOnlyList<DependencyView> WaitingFor);

/// <summary>Result of orchestrator_resume_session.</summary>
public sealed record ResumeSessionResult(
    SessionProgressView Progress,
    [property: Description("True when the session was archived and has been reactivated.")] bool Reactivated,
    WorkspaceView Workspace,
    [property: Description("What to do next, in order.")] IReadOnlyList<string> NextSteps,
    [property: Description("How to plan and work through tasks with this server (markdown).")] string Guidance);

/// <summary>Result of orchestrator_session_status.</summary>
public sealed record SessionStatusResult(SessionProgressView Progress, WorkspaceView Workspace);

/// <summary>A session a cleanup matched.</summary>
public sealed record SessionCleanupView(
    string SessionId,
    string Name,
    DateTimeOffset LastActivityAt,
    int TaskCount,
    [property: Description("The rule that matched: inactive, completed or empty.")] string Rule,
    [property: Description("archived, archived_with_tasks or deleted (what was done, or would be on a dry run).")] string Action,
    int TasksArchived);

/// <summary>Result of orchestrator_cleanup_sessions.</summary>
public sealed record CleanupSessionsResult(
    string CleanupType,
    int OlderThanDays,
    [property: Description("True when nothing was changed.")] bool DryRun,
    IReadOnlyList<SessionCleanupView> Sessions,
    int SessionsArchived,
    int SessionsDeleted,
    int TasksArchived);
