namespace TaskOrchestrator.Core.Idempotency;

/// <summary>The outcome of an idempotent write: either fresh, or the replay of an earlier call.</summary>
/// <typeparam name="T">The domain result of a fresh call.</typeparam>
/// <param name="Value">The fresh domain result; default when replayed.</param>
/// <param name="Rendered">The rendered result, when the call carried a key (fresh or replayed); null otherwise.</param>
/// <param name="Replayed">True when the call was answered from the stored result and changed nothing.</param>
public sealed record IdempotentOutcome<T>(T? Value, RenderedResult? Rendered, bool Replayed);
