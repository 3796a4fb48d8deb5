namespace TaskOrchestrator.Core.Storage.Transfer;

/// <summary>How a transfer treats the target.</summary>
/// <param name="Replace">Delete the workspace's existing data in the target first (same transaction) instead of refusing.</param>
/// <param name="RootPath">The workspace folder to record in the target instead of the source's (a new machine's path), or null.</param>
public sealed record TransferOptions(bool Replace = false, string? RootPath = null);
