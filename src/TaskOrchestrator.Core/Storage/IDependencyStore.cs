using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Storage;

/// <summary>The dependency graph. The store does not check for cycles; the domain does before adding.</summary>
public interface IDependencyStore
{
    /// <summary>Adds an edge; adding an existing edge updates its kind.</summary>
    Task AddAsync(TaskDependency dependency, CancellationToken cancellationToken);

    /// <summary>Removes an edge; false when it did not exist.</summary>
    Task<bool> RemoveAsync(string taskId, string dependsOnId, CancellationToken cancellationToken);

    /// <summary>The dependencies of the given tasks, with the current state of what they wait for.</summary>
    Task<IReadOnlyList<DependencyState>> GetDependenciesAsync(IReadOnlyCollection<string> taskIds, CancellationToken cancellationToken);

    /// <summary>The edges of tasks that wait for any of <paramref name="taskIds"/>.</summary>
    Task<IReadOnlyList<TaskDependency>> GetDependentsAsync(IReadOnlyCollection<string> taskIds, CancellationToken cancellationToken);

    /// <summary>
    /// A chain of depends-on edges leading from <paramref name="fromTaskId"/> to <paramref name="toTaskId"/>,
    /// as the ids along it (both ends included), or null when none exists.
    /// </summary>
    Task<IReadOnlyList<string>?> FindPathAsync(string fromTaskId, string toTaskId, CancellationToken cancellationToken);

    /// <summary>Every edge of the workspace, for whole-graph validation.</summary>
    Task<IReadOnlyList<TaskDependency>> GetAllAsync(CancellationToken cancellationToken);
}
