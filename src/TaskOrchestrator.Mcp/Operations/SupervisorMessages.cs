using System.Text.Json.Serialization;

namespace TaskOrchestrator.Mcp.Operations;

/// <summary>The params of <see cref="SupervisorProtocol.RestartRequestedMethod"/>.</summary>
/// <param name="Reason">A restart reason wire name (the health monitor sends <c>error_recovery</c>).</param>
/// <param name="Detail">Why, in a sentence: the checks that stayed critical.</param>
public sealed record RestartRequestedParams(
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("detail")] string? Detail);

/// <summary>The params of <see cref="SupervisorProtocol.StoppingMethod"/>.</summary>
/// <param name="Restart">True when a new worker will take over the work this one holds.</param>
public sealed record StoppingParams(
    [property: JsonPropertyName("restart")] bool Restart);

/// <summary>The params of <see cref="SupervisorProtocol.BindingMethod"/> and the value of <see cref="SupervisorProtocol.BindingVariable"/>.</summary>
/// <param name="WorkspaceRoot">The workspace the session lives in.</param>
/// <param name="SessionId">The session made current.</param>
public sealed record BindingParams(
    [property: JsonPropertyName("workspace_root")] string WorkspaceRoot,
    [property: JsonPropertyName("session_id")] string SessionId);
