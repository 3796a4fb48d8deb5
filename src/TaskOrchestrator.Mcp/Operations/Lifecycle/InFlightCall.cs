namespace TaskOrchestrator.Mcp.Operations.Lifecycle;

/// <summary>A tool call being handled by this process.</summary>
/// <param name="Sequence">Its number in this process, unique.</param>
/// <param name="RequestId">Its JSON-RPC id, as text.</param>
/// <param name="Tool">The tool called.</param>
/// <param name="Connection">The MCP session id of its connection, or null for the single stdio connection.</param>
/// <param name="StartedAt">When it arrived.</param>
public sealed record InFlightCall(long Sequence, string RequestId, string Tool, string? Connection, DateTimeOffset StartedAt);
