namespace TaskOrchestrator.Core.Tasks.Planning;

/// <summary>What a planner asks to create: one task and, nested, its subtasks.</summary>
public sealed record TaskSpec
{
    /// <summary>A key local to the plan call by which sibling specs may depend on this one.</summary>
    public string? Key { get; init; }

    /// <summary>A short title.</summary>
    public required string Title { get; init; }

    /// <summary>What to do and what done looks like.</summary>
    public string? Description { get; init; }

    /// <summary>The kind of work.</summary>
    public TaskType Type { get; init; } = TaskType.Standard;

    /// <summary>How hard it is.</summary>
    public TaskComplexity Complexity { get; init; } = TaskComplexity.Moderate;

    /// <summary>The specialist role; when null, one is derived from <see cref="Type"/>.</summary>
    public string? SpecialistType { get; init; }

    /// <summary>How urgent it is.</summary>
    public TaskPriority Priority { get; init; } = TaskPriority.Medium;

    /// <summary>A free-text effort estimate.</summary>
    public string? EstimatedEffort { get; init; }

    /// <summary>When it is due.</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>A JSON object of context, as text.</summary>
    public string? ContextJson { get; init; }

    /// <summary>What it waits for: local keys of specs in the same plan, or ids of existing tasks.</summary>
    public IReadOnlyList<string> Dependencies { get; init; } = [];

    /// <summary>Its subtasks.</summary>
    public IReadOnlyList<TaskSpec> Subtasks { get; init; } = [];

    /// <summary>The role a task of <paramref name="type"/> gets when the planner names none.</summary>
    public static string DefaultRoleFor(TaskType type) => type switch
    {
        TaskType.Implementation => "implementer",
        TaskType.Testing => "tester",
        TaskType.Review or TaskType.Approval => "reviewer",
        TaskType.Documentation => "documenter",
        TaskType.Research => "researcher",
        TaskType.Deployment => "devops",
        TaskType.Breakdown or TaskType.Milestone => "coordinator",
        _ => "generic",
    };
}
