namespace TaskOrchestrator.Core.Storage.Transfer;

/// <summary>
/// One workspace's data as of one moment: an implementation reads every table inside a single snapshot
/// (read) transaction, opened before <see cref="Workspace"/> is known and held until disposal, so writers
/// committing meanwhile never produce a torn copy. Not thread-safe: read one table at a time.
/// </summary>
public interface IWorkspaceExport : IAsyncDisposable
{
    /// <summary>The workspace row.</summary>
    TransferWorkspace Workspace { get; }

    /// <summary>The sequence numbers used by each table with a <see cref="TransferTable.SequenceColumn"/> that has rows.</summary>
    IReadOnlyDictionary<string, SequenceRange> Sequences { get; }

    /// <summary>
    /// The rows of <paramref name="table"/> in <see cref="TransferTable.OrderBy"/> order, each value typed by
    /// its column: <see cref="string"/>, <see cref="long"/>, <see cref="bool"/> or null.
    /// </summary>
    IAsyncEnumerable<object?[]> ReadAsync(TransferTable table, CancellationToken cancellationToken);
}
