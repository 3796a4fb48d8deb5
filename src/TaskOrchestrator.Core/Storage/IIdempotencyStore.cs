using TaskOrchestrator.Core.Idempotency;

namespace TaskOrchestrator.Core.Storage;

/// <summary>The stored results of calls made with an idempotency key; kept as long as the workspace.</summary>
public interface IIdempotencyStore
{
    /// <summary>The record for <paramref name="key"/>, or null.</summary>
    Task<IdempotencyRecord?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Stores a record; the key must be new.</summary>
    Task InsertAsync(IdempotencyRecord record, CancellationToken cancellationToken);
}
