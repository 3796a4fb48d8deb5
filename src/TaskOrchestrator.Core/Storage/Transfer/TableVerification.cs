namespace TaskOrchestrator.Core.Storage.Transfer;

/// <summary>One table's counts and content hashes, as read from the source and read back from the target.</summary>
/// <param name="Table">The table name.</param>
/// <param name="SourceRows">Rows read from the source.</param>
/// <param name="TargetRows">Rows read back from the target.</param>
/// <param name="SourceHash">SHA-256 of the source's canonical rows.</param>
/// <param name="TargetHash">SHA-256 of the target's canonical rows.</param>
/// <param name="SequenceOffset">The constant added to the table's sequence numbers in the target.</param>
public sealed record TableVerification(string Table, long SourceRows, long TargetRows, string SourceHash, string TargetHash, long SequenceOffset)
{
    /// <summary>True when counts and hashes agree.</summary>
    public bool Matches => SourceRows == TargetRows && string.Equals(SourceHash, TargetHash, StringComparison.Ordinal);
}
