namespace TaskOrchestrator.Core.Storage;

/// <summary>How much space the store takes.</summary>
/// <param name="DatabaseBytes">The main database.</param>
/// <param name="WalBytes">The write-ahead log not yet checkpointed (0 where not applicable).</param>
public sealed record StoreSize(long DatabaseBytes, long WalBytes);
