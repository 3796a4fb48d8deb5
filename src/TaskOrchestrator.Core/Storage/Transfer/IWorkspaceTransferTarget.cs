namespace TaskOrchestrator.Core.Storage.Transfer;

/// <summary>A store that a workspace can be copied into.</summary>
public interface IWorkspaceTransferTarget
{
    /// <summary>Where the target is, for messages (never a password).</summary>
    string Location { get; }

    /// <summary>
    /// Starts the import of <paramref name="workspace"/> in one transaction, creating the schema when needed.
    /// When the target already holds data of that workspace (same id, or in PostgreSQL the same root folder),
    /// throws <see cref="TransferException"/> with <see cref="TransferFailure.Refused"/> naming what is there,
    /// unless <paramref name="replace"/>, in which case that data is deleted inside the same transaction.
    /// </summary>
    Task<IWorkspaceImport> BeginImportAsync(
        TransferWorkspace workspace,
        IReadOnlyDictionary<string, SequenceRange> sequences,
        bool replace,
        CancellationToken cancellationToken);
}
