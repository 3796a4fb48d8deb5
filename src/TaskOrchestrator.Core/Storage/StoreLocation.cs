namespace TaskOrchestrator.Core.Storage;

/// <summary>Which backend holds a workspace and where.</summary>
/// <param name="Backend">"sqlite" or "postgres".</param>
/// <param name="Location">The database file path, or the server and database name (never a password).</param>
public sealed record StoreLocation(string Backend, string Location);
