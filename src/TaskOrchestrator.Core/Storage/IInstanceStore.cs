using TaskOrchestrator.Core.Operations;

namespace TaskOrchestrator.Core.Storage;

/// <summary>The server processes registered in a workspace.</summary>
public interface IInstanceStore
{
    /// <summary>Registers an instance, or replaces its row.</summary>
    Task UpsertAsync(ServerInstanceRecord instance, CancellationToken cancellationToken);

    /// <summary>Records a heartbeat; false when the instance is not registered as running (another process marked it dead).</summary>
    Task<bool> HeartbeatAsync(string instanceId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Moves an instance to a new state with a reason.</summary>
    Task SetStateAsync(string instanceId, InstanceState state, DateTimeOffset at, string? detail, CancellationToken cancellationToken);

    /// <summary>The instance with <paramref name="id"/>, or null.</summary>
    Task<ServerInstanceRecord?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes stopped and dead instances whose last heartbeat is before <paramref name="before"/> and
    /// that hold no task in progress (at most <paramref name="limit"/>); returns how many.
    /// </summary>
    Task<int> DeleteEndedBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken);

    /// <summary>Instances, running ones first, newest heartbeat first; stopped and dead ones only when asked.</summary>
    Task<IReadOnlyList<ServerInstanceRecord>> ListAsync(bool includeEnded, int limit, CancellationToken cancellationToken);
}
