using TaskOrchestrator.Core.Artifacts;

namespace TaskOrchestrator.Core.Tasks.Execution;

/// <summary>A dependency of an executing task with what it produced.</summary>
/// <param name="Task">The dependency.</param>
/// <param name="Kind">Whether it gated readiness.</param>
/// <param name="Artifacts">Its artifacts, with content cut to the context limits.</param>
/// <param name="ContentTruncated">True when some artifact content was cut.</param>
public sealed record DependencyResult(TaskRecord Task, DependencyKind Kind, IReadOnlyList<ArtifactRecord> Artifacts, bool ContentTruncated);
