using TaskOrchestrator.Core.Artifacts;

namespace TaskOrchestrator.Core.Tasks.Queries;

/// <summary>A page of tasks with what the caller asked to see beside each.</summary>
/// <param name="Page">The tasks and the total matching.</param>
/// <param name="Dependencies">Each listed task's dependencies with their state.</param>
/// <param name="Children">Each listed task's direct subtasks, when asked for.</param>
/// <param name="Artifacts">Each listed task's artifacts without content, when asked for.</param>
public sealed record TaskListing(
    TaskPage Page,
    ILookup<string, DependencyState> Dependencies,
    ILookup<string, TaskRecord>? Children,
    ILookup<string, ArtifactRecord>? Artifacts)
{
    /// <summary>True when the task is pending and every hard dependency is satisfied.</summary>
    public bool IsReady(TaskRecord task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.Status == TaskItemStatus.Pending && Dependencies[task.Id].All(d => d.Kind == DependencyKind.Soft || d.Satisfied);
    }
}
