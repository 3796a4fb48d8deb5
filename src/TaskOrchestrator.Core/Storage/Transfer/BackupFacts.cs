namespace TaskOrchestrator.Core.Storage.Transfer;

/// <summary>What a verified backup file holds.</summary>
/// <param name="Path">The file.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="SchemaVersion">The schema version it was written at.</param>
/// <param name="Workspace">Its workspace row.</param>
/// <param name="Rows">Rows per table of <see cref="TransferSchema.Tables"/>, in that order.</param>
public sealed record BackupFacts(string Path, long Bytes, int SchemaVersion, TransferWorkspace Workspace, IReadOnlyList<KeyValuePair<string, long>> Rows);
