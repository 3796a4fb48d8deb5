using System.Globalization;
using TaskOrchestrator.Core.Agents;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Mcp.Results;

namespace TaskOrchestrator.Mcp.Agents;

/// <summary>Maps agents to the views the agent tools return.</summary>
public static class AgentViews
{
    /// <summary>The view of <paramref name="agent"/> at <paramref name="now"/>, with the claims it holds.</summary>
    public static AgentView Agent(AgentRecord agent, IEnumerable<TaskRecord> claims, AgentHealthPolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(policy);
        var c = agent.Counters;
        var risk = AgentRisk.Score(c);
        return new AgentView(
            agent.Id,
            agent.Name,
            WireNames.Of(agent.Kind),
            agent.SpecialistTypes,
            agent.ClientInfo,
            agent.RegisteredAt,
            agent.LastSeenAt,
            agent.LastHeartbeatAt,
            new AgentCountersView(c.Claims, c.Heartbeats, c.Completed, c.NeedsRevision, c.Blocked, c.Failed, c.Released, c.LeaseExpired, c.Outcomes, c.Errors, c.DurationCount, c.DurationTotalMs),
            new AgentRatesView(c.SuccessRate, c.FailureRate, c.LeaseExpiryRate, c.DurationCount == 0 ? null : (double)c.DurationTotalMs / c.DurationCount / 1000),
            [.. claims.Select(t => new HeldClaimView(t.Id, t.Title, t.LeaseFence, t.StartedAt, t.LeaseExpiresAt))],
            risk,
            WireNames.Of(policy.Thresholds.Classify(risk)),
            Circuit(agent.Circuit, now));
    }

    /// <summary>The thresholds view of <paramref name="policy"/>.</summary>
    public static AgentThresholdsView Thresholds(AgentHealthPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new AgentThresholdsView(policy.Thresholds.HealthyBelow, policy.Thresholds.DegradedBelow, policy.Cooldown.TotalSeconds, AgentRisk.Formula);
    }

    private static AgentCircuitView Circuit(AgentCircuit circuit, DateTimeOffset now)
    {
        var (may, note) = circuit.State switch
        {
            CircuitState.Open when circuit.RetryAt is { } retry && now < retry =>
                (false, string.Create(CultureInfo.InvariantCulture, $"Circuit-broken: no claims until {retry:u}; then one probe task.")),
            CircuitState.Open => (true, "Cool-down over: the next claim is the probe task; completing it closes the circuit."),
            CircuitState.HalfOpen when circuit.ProbeTaskId is { } probe =>
                (false, $"On probation: holds probe task '{probe}'; completing it closes the circuit, failing it or losing its lease reopens it."),
            CircuitState.HalfOpen => (true, "On probation: the next claim is the probe task; completing it closes the circuit."),
            _ => (true, "Claims as usual."),
        };
        return new AgentCircuitView(WireNames.Of(circuit.State), may, circuit.OpenedAt, circuit.RetryAt, circuit.ProbeTaskId, circuit.Opens, note);
    }
}
