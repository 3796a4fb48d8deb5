using TaskOrchestrator.Core.Artifacts;

namespace TaskOrchestrator.Core.Storage;

/// <summary>Artifacts, stored with their content and its hash.</summary>
public interface IArtifactStore
{
    /// <summary>Stores an artifact; its task must exist.</summary>
    Task InsertAsync(ArtifactRecord artifact, CancellationToken cancellationToken);

    /// <summary>The artifacts of the given tasks, oldest first; without content unless asked.</summary>
    Task<IReadOnlyList<ArtifactRecord>> GetForTasksAsync(IReadOnlyCollection<string> taskIds, bool includeContent, CancellationToken cancellationToken);

    /// <summary>Deletes the artifacts of the given tasks and returns how many there were.</summary>
    Task<int> DeleteForTasksAsync(IReadOnlyCollection<string> taskIds, CancellationToken cancellationToken);

    /// <summary>The number of artifacts and their total content length.</summary>
    Task<(int Count, long TotalLength)> GetTotalsAsync(CancellationToken cancellationToken);

    /// <summary>Artifacts in id order after <paramref name="afterId"/> (from the start when null), for verification passes.</summary>
    Task<IReadOnlyList<ArtifactRecord>> GetAfterAsync(string? afterId, int limit, bool includeContent, CancellationToken cancellationToken);
}
