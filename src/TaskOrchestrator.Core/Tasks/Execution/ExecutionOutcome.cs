using TaskOrchestrator.Core.Roles;

namespace TaskOrchestrator.Core.Tasks.Execution;

/// <summary>Everything an agent needs to work on a task it just started.</summary>
/// <param name="Task">The task, now in progress.</param>
/// <param name="AlreadyInProgress">True when the same agent had already started it and nothing changed.</param>
/// <param name="Role">The specialist role to adopt.</param>
/// <param name="RoleMissing">True when the task names a role the workspace no longer defines and the generic role stands in.</param>
/// <param name="Ancestors">The chain of parent tasks, outermost first.</param>
/// <param name="DependencyResults">What the tasks it depends on produced.</param>
/// <param name="Children">Its subtasks, if it has any.</param>
public sealed record ExecutionOutcome(
    TaskRecord Task,
    bool AlreadyInProgress,
    SpecialistRole Role,
    bool RoleMissing,
    IReadOnlyList<TaskRecord> Ancestors,
    IReadOnlyList<DependencyResult> DependencyResults,
    IReadOnlyList<TaskRecord> Children)
{
    /// <summary>The direct parent, if any.</summary>
    public TaskRecord? Parent => Ancestors.Count == 0 ? null : Ancestors[^1];
}
