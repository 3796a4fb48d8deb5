namespace TaskOrchestrator.Core.Tasks;

/// <summary>
/// The stored state of a task: plain, immutable data as a backend reads and writes it. Behaviour lives
/// in <see cref="TaskItem"/>, which produces new records through legal moves only.
/// </summary>
public sealed record TaskRecord
{
    /// <summary>The task id, <c>task_…</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The workspace the task belongs to.</summary>
    public required string WorkspaceId { get; init; }

    /// <summary>The session that created it, if any.</summary>
    public string? SessionId { get; init; }

    /// <summary>The parent task, if this is a subtask.</summary>
    public string? ParentId { get; init; }

    /// <summary>A short title.</summary>
    public required string Title { get; init; }

    /// <summary>What to do and what done looks like.</summary>
    public string? Description { get; init; }

    /// <summary>The kind of work.</summary>
    public TaskType Type { get; init; } = TaskType.Standard;

    /// <summary>The specialist role that should do it.</summary>
    public string SpecialistType { get; init; } = "generic";

    /// <summary>How hard it is.</summary>
    public TaskComplexity Complexity { get; init; } = TaskComplexity.Moderate;

    /// <summary>How urgent it is.</summary>
    public TaskPriority Priority { get; init; } = TaskPriority.Medium;

    /// <summary>Where it is in its lifecycle.</summary>
    public TaskItemStatus Status { get; init; } = TaskItemStatus.Pending;

    /// <summary>Optimistic-concurrency version, incremented once by every committed change.</summary>
    public long Version { get; init; } = 1;

    /// <summary>Free-form JSON object the planner attached, as text.</summary>
    public string? ContextJson { get; init; }

    /// <summary>A free-text effort estimate such as "2h".</summary>
    public string? EstimatedEffort { get; init; }

    /// <summary>When it is due.</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When work on it last started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it was completed; kept when a completed task is archived.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The agent working on it while in progress.</summary>
    public string? AssignedAgent { get; init; }

    /// <summary>The server instance through which the work was started; its death releases the work.</summary>
    public string? HolderInstanceId { get; init; }

    /// <summary>When the hold on work in progress expires, after which the work is reclaimed.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>
    /// The secret of the current claim on the task while it is in progress for an agent; every write
    /// by the holder must present it. Null when nobody holds it under a claim.
    /// </summary>
    public string? LeaseToken { get; init; }

    /// <summary>The fencing number: how many times the task was claimed. A claim's token carries it.</summary>
    public long LeaseFence { get; init; }

    /// <summary>The lease length of the current claim, which each heartbeat renews.</summary>
    public int? LeaseSeconds { get; init; }

    /// <summary>Why it is blocked, failed, cancelled or was sent back for revision.</summary>
    public string? StatusReason { get; init; }

    /// <summary>The completion summary.</summary>
    public string? ResultSummary { get; init; }

    /// <summary>True when this task counts as done for the tasks that depend on it.</summary>
    public bool SatisfiesDependents =>
        Status == TaskItemStatus.Completed || (Status == TaskItemStatus.Archived && CompletedAt is not null);

    /// <summary>True for statuses that do not change without an explicit reopen or archive.</summary>
    public bool IsTerminal => TaskTransitions.IsTerminal(Status);
}
