using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Mcp.Connections;

namespace TaskOrchestrator.Mcp.Workspaces;

/// <summary>Everything a tool call needs beside its arguments.</summary>
/// <param name="Workspace">The workspace the call works in.</param>
/// <param name="Resolved">How the workspace was chosen.</param>
/// <param name="Connection">The caller's connection state.</param>
/// <param name="SessionId">The session the call acts for: the one it named, else the connection's current one.</param>
/// <param name="HolderInstanceId">The server instance that holds the work this call starts (the supervisor's when supervised).</param>
public sealed record ToolContext(WorkspaceContext Workspace, ResolvedWorkspace Resolved, ConnectionState Connection, string? SessionId, string? HolderInstanceId = null)
{
    /// <summary>The actor recorded in events, for an optional agent id.</summary>
    public Actor Actor(string? agentId = null) => new(agentId, SessionId, Connection.ClientInfo, HolderInstanceId);
}
