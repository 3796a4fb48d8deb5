namespace TaskOrchestrator.Core.Tasks;

/// <summary>An edge of the dependency graph: <paramref name="TaskId"/> waits for <paramref name="DependsOnId"/>.</summary>
/// <param name="TaskId">The dependent task.</param>
/// <param name="DependsOnId">The task it waits for.</param>
/// <param name="Kind">Whether the edge gates readiness.</param>
public sealed record TaskDependency(string TaskId, string DependsOnId, DependencyKind Kind = DependencyKind.Hard);
