namespace TaskOrchestrator.Core.Tasks.Editing;

/// <summary>The task after an update and what changed.</summary>
/// <param name="Task">The task as stored now.</param>
/// <param name="Changes">Each change applied; empty when the update changed nothing.</param>
/// <param name="Dependencies">The task's dependencies after the update.</param>
public sealed record UpdateOutcome(TaskRecord Task, IReadOnlyList<FieldChange> Changes, IReadOnlyList<DependencyState> Dependencies);
