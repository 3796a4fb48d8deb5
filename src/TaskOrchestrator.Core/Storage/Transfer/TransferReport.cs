namespace TaskOrchestrator.Core.Storage.Transfer;

/// <summary>What a transfer copied and how it verified.</summary>
/// <param name="Workspace">The workspace as written to the target.</param>
/// <param name="Tables">Per table, in write order, the verification.</param>
/// <param name="Committed">True when the copy was committed (every table matched); false when it was rolled back.</param>
/// <param name="Replaced">What was removed from the target first, or null.</param>
public sealed record TransferReport(TransferWorkspace Workspace, IReadOnlyList<TableVerification> Tables, bool Committed, string? Replaced)
{
    /// <summary>The tables whose copy differs from the source.</summary>
    public IEnumerable<TableVerification> Mismatches => Tables.Where(t => !t.Matches);
}
