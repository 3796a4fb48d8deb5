namespace TaskOrchestrator.Core.Storage;

/// <summary>
/// One transaction over the role stores of a workspace. Every mutation a tool makes, with its event
/// rows and idempotency record, happens in one unit and commits or rolls back as a whole.
/// Not thread-safe: a unit belongs to one logical operation.
/// </summary>
public interface IStoreUnit : IAsyncDisposable
{
    /// <summary>True for a write unit.</summary>
    bool IsWrite { get; }

    /// <summary>Tasks.</summary>
    ITaskStore Tasks { get; }

    /// <summary>Dependency edges.</summary>
    IDependencyStore Dependencies { get; }

    /// <summary>Artifacts.</summary>
    IArtifactStore Artifacts { get; }

    /// <summary>The event log.</summary>
    IEventStore Events { get; }

    /// <summary>Sessions.</summary>
    ISessionStore Sessions { get; }

    /// <summary>Stored results of idempotent calls.</summary>
    IIdempotencyStore Idempotency { get; }

    /// <summary>Server processes and their heartbeats.</summary>
    IInstanceStore Instances { get; }

    /// <summary>Restart history.</summary>
    IRestartStore Restarts { get; }

    /// <summary>Agents, their counters and claim circuits.</summary>
    IAgentStore Agents { get; }

    /// <summary>
    /// Commits the unit. When this returns, every change is durable: it survives a process kill and,
    /// on backends configured for it, a power loss.
    /// </summary>
    ValueTask CommitAsync(CancellationToken cancellationToken);
}
