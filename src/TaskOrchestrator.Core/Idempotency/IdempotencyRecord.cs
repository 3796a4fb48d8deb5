namespace TaskOrchestrator.Core.Idempotency;

/// <summary>The original result of a call made with an idempotency key.</summary>
/// <param name="WorkspaceId">The workspace.</param>
/// <param name="Key">The client's key.</param>
/// <param name="Tool">The tool that was called.</param>
/// <param name="RequestHash">A hash of the call's arguments, to detect a key reused for a different call.</param>
/// <param name="ResultJson">The structured result as returned the first time.</param>
/// <param name="ResultText">The text rendering as returned the first time.</param>
/// <param name="CreatedAt">When the call was first made.</param>
public sealed record IdempotencyRecord(
    string WorkspaceId,
    string Key,
    string Tool,
    string RequestHash,
    string ResultJson,
    string ResultText,
    DateTimeOffset CreatedAt);
