using System.Text.Json.Nodes;

namespace TaskOrchestrator.Server.Http.Mcp;

/// <summary>
/// What is kept of an HTTP MCP session across restarts: enough to recreate its server for the same
/// client (the initialize parameters) and to know when it expired.
/// </summary>
internal sealed class SessionRecord
{
    public required string Id { get; init; }

    /// <summary>The token id of the client that opened it (null without authentication); only it may use the session.</summary>
    public string? Client { get; init; }

    public string? ProtocolVersion { get; set; }

    public string? ClientName { get; set; }

    public string? ClientVersion { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>The workspace of the task session current on this connection, if one was made current.</summary>
    public string? BoundWorkspace { get; set; }

    /// <summary>The task session current on this connection (orchestrator_initialize_session, resume_session).</summary>
    public string? BoundSession { get; set; }

    /// <summary>The client's initialize parameters as it sent them; null until the handshake ran.</summary>
    public JsonNode? Initialize { get; set; }
}
