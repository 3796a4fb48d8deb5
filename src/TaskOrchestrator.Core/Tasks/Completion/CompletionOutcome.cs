using TaskOrchestrator.Core.Artifacts;

namespace TaskOrchestrator.Core.Tasks.Completion;

/// <summary>What a completion stored and what it unlocked.</summary>
/// <param name="Task">The task as stored now.</param>
/// <param name="Action">What was done with the task.</param>
/// <param name="Artifact">The stored artifact (without content).</param>
/// <param name="NewlyReady">Tasks that became ready because this one completed.</param>
/// <param name="Parent">The parent's progress, if the task has a parent.</param>
public sealed record CompletionOutcome(TaskRecord Task, NextAction Action, ArtifactRecord Artifact, IReadOnlyList<TaskRecord> NewlyReady, ParentProgress? Parent);
