namespace TaskOrchestrator.Core.Storage;

/// <summary>Checks on the store itself.</summary>
public interface IStoreDiagnostics
{
    /// <summary>
    /// Runs the backend's integrity check (quick or full) and returns the problems found; an empty list
    /// means healthy.
    /// </summary>
    Task<IReadOnlyList<string>> CheckIntegrityAsync(bool full, CancellationToken cancellationToken);

    /// <summary>Database and write-ahead-log sizes in bytes.</summary>
    Task<StoreSize> GetSizeAsync(CancellationToken cancellationToken);

    /// <summary>The applied schema version and the newest one this build knows.</summary>
    Task<(int Applied, int Latest)> GetSchemaVersionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Proves the store accepts writes: one durable write transaction recording <paramref name="instanceId"/>'s
    /// probe, committed like any change. Returns how long the whole transaction took; throws when the
    /// store cannot be written.
    /// </summary>
    Task<TimeSpan> ProbeWriteAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>
    /// Moves committed changes from the write-ahead log into the database. With <paramref name="truncate"/>
    /// it waits for readers and empties the log; otherwise it copies what it can without waiting.
    /// </summary>
    Task<CheckpointResult> CheckpointAsync(bool truncate, CancellationToken cancellationToken);

    /// <summary>Write units this process has open on the store right now.</summary>
    int OpenWriteUnits { get; }

    /// <summary>
    /// True when some writer (of this or another process) holds the store's write lock right now.
    /// Tries to take the lock without waiting and gives it back at once, writing nothing.
    /// </summary>
    Task<bool> IsWriteLockedAsync(CancellationToken cancellationToken);
}
