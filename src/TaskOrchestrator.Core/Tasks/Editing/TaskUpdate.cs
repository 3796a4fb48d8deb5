namespace TaskOrchestrator.Core.Tasks.Editing;

/// <summary>
/// An update request. A null field means "leave as is"; for the clearable text fields and the due
/// date, <see cref="Clear"/> names the fields to empty.
/// </summary>
public sealed record TaskUpdate
{
    /// <summary>The task to update.</summary>
    public required string TaskId { get; init; }

    /// <summary>When set, the update applies only if the task is still at this version.</summary>
    public long? ExpectedVersion { get; init; }

    /// <summary>The claim's lease token; required when the task is claimed by an agent.</summary>
    public string? LeaseToken { get; init; }

    /// <summary>A new title.</summary>
    public string? Title { get; init; }

    /// <summary>A new description.</summary>
    public string? Description { get; init; }

    /// <summary>A new task type.</summary>
    public TaskType? Type { get; init; }

    /// <summary>A new complexity.</summary>
    public TaskComplexity? Complexity { get; init; }

    /// <summary>A new specialist role.</summary>
    public string? SpecialistType { get; init; }

    /// <summary>A new priority.</summary>
    public TaskPriority? Priority { get; init; }

    /// <summary>A new effort estimate.</summary>
    public string? EstimatedEffort { get; init; }

    /// <summary>A new due date.</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>A new context object, as JSON text.</summary>
    public string? ContextJson { get; init; }

    /// <summary>A new parent task.</summary>
    public string? ParentTaskId { get; init; }

    /// <summary>Fields to empty: any of description, estimated_effort, due_date, context, parent_task_id.</summary>
    public IReadOnlySet<string> Clear { get; init; } = new HashSet<string>();

    /// <summary>A new status: pending, blocked, failed, cancelled or archived.</summary>
    public TaskItemStatus? Status { get; init; }

    /// <summary>Why the status changes.</summary>
    public string? StatusReason { get; init; }

    /// <summary>Tasks to start depending on.</summary>
    public IReadOnlyList<string> AddDependencies { get; init; } = [];

    /// <summary>Tasks to stop depending on.</summary>
    public IReadOnlyList<string> RemoveDependencies { get; init; } = [];

    /// <summary>The fields <see cref="Clear"/> accepts.</summary>
    public static IReadOnlyList<string> ClearableFields { get; } = ["description", "estimated_effort", "due_date", "context", "parent_task_id"];
}
