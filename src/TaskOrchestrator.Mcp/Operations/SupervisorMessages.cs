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
