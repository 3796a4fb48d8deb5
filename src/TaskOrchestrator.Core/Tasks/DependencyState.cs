namespace TaskOrchestrator.Core.Tasks;

/// <summary>A dependency of a task together with the current state of the task it points to.</summary>
/// <param name="TaskId">The dependent task.</param>
/// <param name="DependsOnId">The task it waits for.</param>
/// <param name="Kind">Whether the edge gates readiness.</param>
/// <param name="DependsOnTitle">The title of the task it waits for.</param>
/// <param name="DependsOnStatus">The status of the task it waits for.</param>
/// <param name="Satisfied">True when the task it waits for counts as done.</param>
public sealed record DependencyState(
    string TaskId,
    string DependsOnId,
    DependencyKind Kind,
    string DependsOnTitle,
    TaskItemStatus DependsOnStatus,
    bool Satisfied);
