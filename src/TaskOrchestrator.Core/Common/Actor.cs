namespace TaskOrchestrator.Core.Common;

/// <summary>Who is acting, as recorded in the event log.</summary>
/// <param name="AgentId">The agent, when the caller named one.</param>
/// <param name="SessionId">The session the call belongs to, if any.</param>
/// <param name="ClientName">The MCP client's name, if known.</param>
/// <param name="InstanceId">The server instance the call came through, if known.</param>
public sealed record Actor(string? AgentId, string? SessionId, string? ClientName, string? InstanceId = null)
{
    /// <summary>The server itself, for maintenance and recovery actions.</summary>
    public static Actor System { get; } = new(null, null, "system");

    /// <summary>The most specific name available.</summary>
    public string Name => AgentId ?? SessionId ?? ClientName ?? "anonymous";
}
