using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Tasks.Removal;

/// <summary>What a deletion removed or archived.</summary>
/// <param name="Action">"deleted" or "archived".</param>
/// <param name="TaskIds">Every task deleted or archived, the requested one first.</param>
/// <param name="UnlinkedDependencies">Dependency edges removed from tasks outside the deleted subtree.</param>
/// <param name="ArtifactsDeleted">Artifacts deleted with the tasks.</param>
public sealed record DeleteOutcome(string Action, IReadOnlyList<string> TaskIds, IReadOnlyList<TaskDependency> UnlinkedDependencies, int ArtifactsDeleted);
