namespace TaskOrchestrator.Core.Storage.Transfer;

/// <summary>The sequence numbers a source table uses.</summary>
/// <param name="Min">The smallest number in use.</param>
/// <param name="Max">The largest number in use.</param>
/// <param name="HighWater">
/// The largest number the source ever handed out, at least <paramref name="Max"/>: SQLite's AUTOINCREMENT never
/// reuses a number even after its row is gone, and the target keeps that promise for the copied numbers.
/// </param>
public sealed record SequenceRange(long Min, long Max, long HighWater);
