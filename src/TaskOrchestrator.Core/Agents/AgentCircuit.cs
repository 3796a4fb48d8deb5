namespace TaskOrchestrator.Core.Agents;

/// <summary>The stored state of an agent's claim circuit.</summary>
/// <param name="State">Closed, open or half-open.</param>
/// <param name="OpenedAt">When it last opened; null while it never has.</param>
/// <param name="RetryAt">While open: when the cool-down ends and one probe claim is allowed.</param>
/// <param name="ProbeTaskId">While half-open: the probe task the agent holds, or null when it may take one.</param>
/// <param name="Opens">How many times it opened (reopenings included).</param>
public sealed record AgentCircuit(CircuitState State, DateTimeOffset? OpenedAt, DateTimeOffset? RetryAt, string? ProbeTaskId, long Opens)
{
    /// <summary>A closed circuit that never opened.</summary>
    public static AgentCircuit Closed { get; } = new(CircuitState.Closed, null, null, null, 0);
}
