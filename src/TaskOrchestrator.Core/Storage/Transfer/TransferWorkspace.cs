namespace TaskOrchestrator.Core.Storage.Transfer;

/// <summary>The workspace row that heads an export.</summary>
/// <param name="Id">The workspace id (<c>ws_…</c>), kept in the target.</param>
/// <param name="RootPath">The workspace folder; PostgreSQL identifies a workspace by it.</param>
/// <param name="CreatedAtMs">When the workspace was created, Unix milliseconds.</param>
public sealed record TransferWorkspace(string Id, string RootPath, long CreatedAtMs);
