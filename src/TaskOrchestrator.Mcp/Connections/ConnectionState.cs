namespace TaskOrchestrator.Mcp.Connections;

/// <summary>What the server remembers about one client connection while it lasts.</summary>
public sealed class ConnectionState
{
    /// <summary>The workspace bound by a session initialized or resumed on this connection.</summary>
    public ResolvedBinding? Binding { get; set; }

    /// <summary>The client's first root, once asked; empty string when it has none or did not answer.</summary>
    public string? FirstRoot { get; set; }

    /// <summary>The client's name and version, as "name version".</summary>
    public string? ClientInfo { get; set; }

    /// <summary>The client's name as it introduced itself.</summary>
    public string? ClientName { get; set; }

    /// <summary>The client's version as it introduced itself.</summary>
    public string? ClientVersion { get; set; }

    /// <summary>The negotiated MCP protocol version.</summary>
    public string? ProtocolVersion { get; set; }

    /// <summary>When the server first saw a call of this connection.</summary>
    public DateTimeOffset ConnectedAt { get; init; }

    /// <summary>When the connection's latest tool call arrived.</summary>
    public DateTimeOffset LastActivityAt { get; set; }

    /// <summary>The MCP session id, for connections that have one (HTTP).</summary>
    public string? SessionId { get; init; }
}

/// <summary>A session made current on a connection, with its workspace.</summary>
/// <param name="WorkspaceRoot">The workspace the session lives in.</param>
/// <param name="SessionId">The session.</param>
public sealed record ResolvedBinding(string WorkspaceRoot, string SessionId);
