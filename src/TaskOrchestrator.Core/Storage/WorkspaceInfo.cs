namespace TaskOrchestrator.Core.Storage;

/// <summary>The workspace a store serves.</summary>
/// <param name="Id">Stable id, <c>ws_…</c>, stored with every row.</param>
/// <param name="RootPath">The absolute, canonical workspace folder.</param>
/// <param name="CreatedAt">When the workspace was first opened.</param>
public sealed record WorkspaceInfo(string Id, string RootPath, DateTimeOffset CreatedAt);
