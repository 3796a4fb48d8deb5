namespace TaskOrchestrator.Core.Storage.Transfer;

/// <summary>
/// A workspace being written into a target inside one transaction: nothing is visible to anyone until
/// <see cref="CommitAsync"/>, and disposing without committing rolls everything back. Not thread-safe.
/// </summary>
public interface IWorkspaceImport : IAsyncDisposable
{
    /// <summary>
    /// Per table, the constant added to every copied sequence number (0 when the numbers were free in the
    /// target); order and gaps are kept either way.
    /// </summary>
    IReadOnlyDictionary<string, long> SequenceOffsets { get; }

    /// <summary>What the import removed from the target first (only with replace), for the report; empty otherwise.</summary>
    string? Replaced { get; }

    /// <summary>Writes the rows of <paramref name="table"/>; returns how many.</summary>
    Task<long> WriteAsync(TransferTable table, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken);

    /// <summary>Reads the rows of <paramref name="table"/> back from the target, inside the same transaction, as an export would.</summary>
    IAsyncEnumerable<object?[]> ReadBackAsync(TransferTable table, CancellationToken cancellationToken);

    /// <summary>Makes the import durable and visible.</summary>
    Task CommitAsync(CancellationToken cancellationToken);
}
