using TaskOrchestrator.Core.Agents;

namespace TaskOrchestrator.Mcp.Agents;

/// <summary>
/// How agents are judged (configuration section <c>Agents</c>; defaults documented in
/// docs/reference.md): the risk thresholds and the circuit cool-down.
/// </summary>
public sealed class AgentOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Agents";

    /// <summary>A risk score below this is healthy.</summary>
    public double HealthyBelow { get; set; } = RiskThresholds.Default.HealthyBelow;

    /// <summary>A risk score below this (and not healthy) is degraded; at or above it, critical, and the agent's circuit opens.</summary>
    public double DegradedBelow { get; set; } = RiskThresholds.Default.DegradedBelow;

    /// <summary>How long an open circuit refuses claims before the agent may take one probe task.</summary>
    public TimeSpan CircuitCooldown { get; set; } = AgentHealthPolicy.Default.Cooldown;

    /// <summary>The policy these settings describe; they must have passed <see cref="AgentOptionsValidator"/>.</summary>
    public AgentHealthPolicy ToPolicy() => new(new RiskThresholds(HealthyBelow, DegradedBelow), CircuitCooldown);
}
