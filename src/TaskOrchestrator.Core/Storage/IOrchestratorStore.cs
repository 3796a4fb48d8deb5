namespace TaskOrchestrator.Core.Storage;

/// <summary>
/// The durable state of one workspace. Thread-safe: any number of units may be open at once from
/// any number of threads and processes.
/// </summary>
public interface IOrchestratorStore : IAsyncDisposable
{
    /// <summary>The workspace this store serves.</summary>
    WorkspaceInfo Workspace { get; }

    /// <summary>Where the data lives.</summary>
    StoreLocation Location { get; }

    /// <summary>Health and size checks used by status and maintenance tools.</summary>
    IStoreDiagnostics Diagnostics { get; }

    /// <summary>
    /// Begins a write unit. Write units of one workspace are serialized across threads and processes:
    /// what a unit reads stays true until it commits. Waiting for another writer is bounded by the
    /// store's busy timeout, after which <c>store_busy</c> is thrown. Disposing without committing
    /// rolls back every change of the unit.
    /// </summary>
    ValueTask<IStoreUnit> BeginWriteAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Begins a read unit that sees one consistent snapshot and never blocks writers. Write methods
    /// throw <see cref="InvalidOperationException"/> on a read unit.
    /// </summary>
    ValueTask<IStoreUnit> BeginReadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Makes every task committed so far findable by a query's search text. A store may index text
    /// after the commit that wrote it (SQLite does, to keep the index out of the fsync'd commit), so a
    /// read unit whose queries search is begun after this completes. May write; bounded like a write unit.
    /// </summary>
    ValueTask PrepareSearchAsync(CancellationToken cancellationToken);
}
