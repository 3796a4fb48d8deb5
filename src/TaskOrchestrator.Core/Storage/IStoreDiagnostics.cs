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
}
