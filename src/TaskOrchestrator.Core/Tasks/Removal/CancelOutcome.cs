namespace TaskOrchestrator.Core.Tasks.Removal;

/// <summary>What a cancellation changed.</summary>
/// <param name="Task">The cancelled task as stored now.</param>
/// <param name="CancelledIds">Every task cancelled, the requested one first.</param>
/// <param name="ArtifactsDiscarded">Artifacts deleted because work was not preserved.</param>
/// <param name="AffectedDependents">Tasks still open that depend on cancelled work and so will not become ready.</param>
public sealed record CancelOutcome(TaskRecord Task, IReadOnlyList<string> CancelledIds, int ArtifactsDiscarded, IReadOnlyList<TaskRecord> AffectedDependents);
