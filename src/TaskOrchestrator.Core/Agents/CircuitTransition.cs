namespace TaskOrchestrator.Core.Agents;

/// <summary>A change of an agent's circuit, recorded as an <c>agent_circuit_changed</c> event.</summary>
/// <param name="From">The state before.</param>
/// <param name="To">The state after.</param>
/// <param name="Reason">Why, in a sentence.</param>
/// <param name="Risk">The agent's risk score at the change.</param>
/// <param name="TaskId">The task whose claim or outcome caused it.</param>
public sealed record CircuitTransition(CircuitState From, CircuitState To, string Reason, double Risk, string? TaskId);
