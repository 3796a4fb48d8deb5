namespace TaskOrchestrator.Core.Sessions;

/// <summary>A working session of an agent in a workspace; tasks remember the session that planned them.</summary>
public sealed record SessionRecord
{
    /// <summary>The session id, <c>ses_…</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The workspace it belongs to.</summary>
    public required string WorkspaceId { get; init; }

    /// <summary>A human-readable name.</summary>
    public required string Name { get; init; }

    /// <summary>Whether it is in use.</summary>
    public SessionStatus Status { get; init; } = SessionStatus.Active;

    /// <summary>The MCP client that created it, as "name version".</summary>
    public string? ClientInfo { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When a task of it last changed or it was last resumed.</summary>
    public required DateTimeOffset LastActivityAt { get; init; }

    /// <summary>Optimistic-concurrency version.</summary>
    public long Version { get; init; } = 1;
}
