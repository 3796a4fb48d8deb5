namespace TaskOrchestrator.Core.Idempotency;

/// <summary>The idempotency key of a call, with what identifies the call it was first used for.</summary>
/// <param name="Key">The client's key.</param>
/// <param name="Tool">The tool being called.</param>
/// <param name="RequestHash">A hash of the call's canonical arguments.</param>
public sealed record IdempotencyRequest(string Key, string Tool, string RequestHash);
