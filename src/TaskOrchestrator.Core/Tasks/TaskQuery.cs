namespace TaskOrchestrator.Core.Tasks;

/// <summary>
/// A filtered, sorted page of tasks. Every non-null filter is applied (empty lists mean "no filter");
/// backends must honour all of them, which the store contract tests check one by one.
/// </summary>
public sealed record TaskQuery
{
    /// <summary>Only these statuses.</summary>
    public IReadOnlyList<TaskItemStatus> Statuses { get; init; } = [];

    /// <summary>Only these task types.</summary>
    public IReadOnlyList<TaskType> Types { get; init; } = [];

    /// <summary>Only these specialist roles.</summary>
    public IReadOnlyList<string> SpecialistTypes { get; init; } = [];

    /// <summary>Only these complexities.</summary>
    public IReadOnlyList<TaskComplexity> Complexities { get; init; } = [];

    /// <summary>Only these priorities.</summary>
    public IReadOnlyList<TaskPriority> Priorities { get; init; } = [];

    /// <summary>Only direct children of this task.</summary>
    public string? ParentId { get; init; }

    /// <summary>When true, only tasks without a parent.</summary>
    public bool RootsOnly { get; init; }

    /// <summary>Only this task and its descendants at any depth.</summary>
    public string? SubtreeOf { get; init; }

    /// <summary>Only tasks of this session.</summary>
    public string? SessionId { get; init; }

    /// <summary>Full-text search over title and description: every word must match; the last may be a prefix.</summary>
    public string? SearchText { get; init; }

    /// <summary>Only tasks created at or after this instant.</summary>
    public DateTimeOffset? CreatedAfter { get; init; }

    /// <summary>Only tasks created before this instant.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>Only pending tasks whose hard dependencies are all satisfied.</summary>
    public bool ReadyOnly { get; init; }

    /// <summary>Only pending tasks that still wait for an unsatisfied hard dependency.</summary>
    public bool WaitingOnly { get; init; }

    /// <summary>
    /// When no status filter is given, archived tasks are left out unless this is set: archived work
    /// has been put away on purpose.
    /// </summary>
    public bool IncludeArchived { get; init; }

    /// <summary>The order of the results.</summary>
    public TaskSort Sort { get; init; } = TaskSort.CreatedAsc;

    /// <summary>
    /// When true, the backend may stop counting once exact counting would take work that grows with the
    /// store, and return an estimate (for a search) or a lower bound (for filters) with
    /// <see cref="TaskPage.TotalIsExact"/> false; <see cref="TaskPage.HasMore"/> stays exact. When false
    /// (the default), the total is always exact.
    /// </summary>
    public bool AllowApproximateCount { get; init; }

    /// <summary>Page size, 1..500.</summary>
    public int Limit { get; init; } = 50;

    /// <summary>Rows to skip.</summary>
    public int Offset { get; init; }
}
