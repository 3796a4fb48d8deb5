using System.Globalization;
using System.Text.Json.Nodes;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;

namespace TaskOrchestrator.Core.Agents;

/// <summary>
/// An agent as an aggregate: it counts what its claims came to and runs its claim circuit.
/// <para>
/// The circuit: a bad outcome (failed, lease expired, blocked, needs revision) that leaves the risk
/// critical opens a closed circuit until the cool-down has passed. The first claim after it is the
/// probe (half-open): while the probe is held nothing else is handed out; completing it closes the
/// circuit, failing it or losing its lease reopens it for another cool-down; a revision, a blocked
/// report or a release ends the probe without a verdict, and the next claim is a probe again. While
/// half-open, a failure or lost lease of any task the agent still held from before reopens it too.
/// </para>
/// Changes of state are collected in <see cref="Transitions"/> for the caller to record as events.
/// </summary>
public sealed class AgentItem
{
    private readonly List<CircuitTransition> _transitions = [];

    /// <summary>Wraps an agent read from the store.</summary>
    public AgentItem(AgentRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Original = record;
        Current = record;
    }

    /// <summary>The state as loaded; for a new registration, the registration itself.</summary>
    public AgentRecord Original { get; }

    /// <summary>The state after the changes so far.</summary>
    public AgentRecord Current { get; private set; }

    /// <summary>True when the agent was created by this operation.</summary>
    public bool IsNew { get; private init; }

    /// <summary>True when the registration was created or changed by this operation (an <c>agent_registered</c> event).</summary>
    public bool RegistrationChanged { get; private set; }

    /// <summary>The circuit changes made so far.</summary>
    public IReadOnlyList<CircuitTransition> Transitions => _transitions;

    /// <summary>The agent's current risk score.</summary>
    public double Risk => AgentRisk.Score(Current.Counters);

    /// <summary>A newly registered agent.</summary>
    public static AgentItem Register(string workspaceId, string id, string name, AgentKind kind, IReadOnlyList<string> specialistTypes, string? clientInfo, DateTimeOffset now) =>
        new(new AgentRecord
        {
            WorkspaceId = workspaceId,
            Id = id,
            Name = name,
            Kind = kind,
            SpecialistTypes = specialistTypes,
            ClientInfo = clientInfo,
            RegisteredAt = now,
            UpdatedAt = now,
            LastSeenAt = now,
        })
        { IsNew = true, RegistrationChanged = true };

    /// <summary>Changes the registration; counters and circuit stay.</summary>
    public void Reregister(string name, AgentKind kind, IReadOnlyList<string> specialistTypes, string? clientInfo, DateTimeOffset now)
    {
        Current = Current with { Name = name, Kind = kind, SpecialistTypes = specialistTypes, ClientInfo = clientInfo ?? Current.ClientInfo, UpdatedAt = now, LastSeenAt = now };
        RegistrationChanged = true;
    }

    /// <summary>
    /// Throws <c>circuit_open</c> unless the agent may take a new claim at <paramref name="now"/>:
    /// refused while its circuit is open and cooling down, and while it holds its probe task.
    /// </summary>
    public void EnsureMayClaim(DateTimeOffset now, AgentHealthPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var circuit = Current.Circuit;
        var risk = Risk;
        var judged = string.Create(CultureInfo.InvariantCulture, $"its risk is {risk:0.0000}, {WireNames.Of(policy.Thresholds.Classify(risk))} (healthy below {policy.Thresholds.HealthyBelow:0.00##}, critical at or above {policy.Thresholds.DegradedBelow:0.00##}), after {Describe(Current.Counters)}");
        if (circuit.State == CircuitState.Open && circuit.RetryAt is { } retry && now < retry)
        {
            throw Fail.With(
                ErrorCodes.CircuitOpen,
                string.Create(CultureInfo.InvariantCulture, $"Agent '{Current.Id}' is circuit-broken and gets no new claims: {judged}. Its circuit opened at {circuit.OpenedAt:u}; it may try again at {retry:u} (in {Wait(retry - now)}), with exactly one probe task."),
                "agent_id",
                null,
                "Stop claiming until then. After the cool-down, claim once: completing that probe task closes the circuit; failing it or letting its lease expire reopens it.",
                Details(risk, policy));
        }

        if (circuit.State == CircuitState.HalfOpen && circuit.ProbeTaskId is { } probe)
        {
            throw Fail.With(
                ErrorCodes.CircuitOpen,
                $"Agent '{Current.Id}' is on probation (circuit half-open): {judged}. It holds its probe task '{probe}' and gets no other claim until that task is completed.",
                "agent_id",
                null,
                $"Finish task '{probe}' with orchestrator_complete_task: completing it closes the circuit. Failing it or letting its lease expire reopens the circuit for another cool-down.",
                Details(risk, policy));
        }
    }

    /// <summary>Counts a claim of <paramref name="taskId"/>; after the cool-down it is the probe (half-open).</summary>
    public void RecordClaim(string taskId, DateTimeOffset now)
    {
        var circuit = Current.Circuit;
        Current = Current with { Counters = Current.Counters with { Claims = Current.Counters.Claims + 1 }, LastSeenAt = now, UpdatedAt = now };
        if (circuit.State == CircuitState.Open && circuit.RetryAt is { } retry && now >= retry)
        {
            Move(CircuitState.HalfOpen, circuit with { State = CircuitState.HalfOpen, ProbeTaskId = taskId }, $"cool-down over; task '{taskId}' is the probe", taskId);
        }
        else if (circuit.State == CircuitState.HalfOpen && circuit.ProbeTaskId is null)
        {
            Current = Current with { Circuit = circuit with { ProbeTaskId = taskId } };
        }
    }

    /// <summary>Counts a lease renewal.</summary>
    public void RecordHeartbeat(DateTimeOffset now) =>
        Current = Current with { Counters = Current.Counters with { Heartbeats = Current.Counters.Heartbeats + 1 }, LastHeartbeatAt = now, LastSeenAt = now, UpdatedAt = now };

    /// <summary>
    /// Counts how the claim of <paramref name="taskId"/> ended (a completion with its claim-to-completion
    /// <paramref name="duration"/>) and moves the circuit as the class description says.
    /// </summary>
    public void RecordOutcome(AgentOutcome outcome, string taskId, TimeSpan? duration, DateTimeOffset now, AgentHealthPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        // A lost lease is not the agent being seen: it is the agent's silence.
        Current = Current with
        {
            Counters = Current.Counters.With(outcome, duration),
            LastSeenAt = outcome == AgentOutcome.LeaseExpired ? Current.LastSeenAt : now,
            UpdatedAt = now,
        };

        var circuit = Current.Circuit;
        bool bad = outcome is AgentOutcome.Failed or AgentOutcome.LeaseExpired or AgentOutcome.Blocked or AgentOutcome.NeedsRevision;
        bool lost = outcome is AgentOutcome.Failed or AgentOutcome.LeaseExpired;
        switch (circuit.State)
        {
            case CircuitState.Closed when bad && policy.Thresholds.Classify(Risk) == AgentHealth.Critical:
                Open(now, policy, $"risk {Risk.ToString("0.0000", CultureInfo.InvariantCulture)} is critical after task '{taskId}' {Verb(outcome)}", taskId);
                break;
            case CircuitState.HalfOpen when circuit.ProbeTaskId == taskId && outcome == AgentOutcome.Completed:
                Move(CircuitState.Closed, AgentCircuit.Closed with { OpenedAt = circuit.OpenedAt, Opens = circuit.Opens }, $"probe task '{taskId}' completed", taskId);
                break;
            case CircuitState.HalfOpen when lost:
                Open(now, policy, circuit.ProbeTaskId == taskId ? $"probe task '{taskId}' {Verb(outcome)}" : $"task '{taskId}' {Verb(outcome)} during the probe", taskId);
                break;
            case CircuitState.HalfOpen when circuit.ProbeTaskId == taskId:
                // Revision, blocked or released: no verdict on the agent; the next claim probes again.
                Current = Current with { Circuit = circuit with { ProbeTaskId = null } };
                break;
        }
    }

    private void Open(DateTimeOffset now, AgentHealthPolicy policy, string reason, string taskId) =>
        Move(CircuitState.Open, new AgentCircuit(CircuitState.Open, now, now + policy.Cooldown, null, Current.Circuit.Opens + 1), reason, taskId);

    private void Move(CircuitState to, AgentCircuit circuit, string reason, string taskId)
    {
        _transitions.Add(new CircuitTransition(Current.Circuit.State, to, reason, Risk, taskId));
        Current = Current with { Circuit = circuit };
    }

    private JsonObject Details(double risk, AgentHealthPolicy policy) => new()
    {
        ["agent_id"] = Current.Id,
        ["risk"] = Math.Round(risk, 4),
        ["classification"] = WireNames.Of(policy.Thresholds.Classify(risk)),
        ["circuit_state"] = WireNames.Of(Current.Circuit.State),
        ["opened_at"] = Current.Circuit.OpenedAt?.ToString("O", CultureInfo.InvariantCulture),
        ["retry_at"] = Current.Circuit.RetryAt?.ToString("O", CultureInfo.InvariantCulture),
        ["probe_task_id"] = Current.Circuit.ProbeTaskId,
    };

    private static string Describe(AgentCounters c) =>
        string.Create(CultureInfo.InvariantCulture, $"{c.Failed} failed, {c.LeaseExpired} lease-expired, {c.Blocked} blocked and {c.NeedsRevision} sent back of {c.Outcomes} outcomes");

    private static string Verb(AgentOutcome outcome) => outcome switch
    {
        AgentOutcome.Completed => "was completed",
        AgentOutcome.NeedsRevision => "was sent back for revision",
        AgentOutcome.Blocked => "was reported blocked",
        AgentOutcome.Failed => "failed",
        AgentOutcome.Released => "was released",
        AgentOutcome.LeaseExpired => "lost its lease",
        _ => "ended",
    };

    private static string Wait(TimeSpan span) =>
        span >= TimeSpan.FromMinutes(1)
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes}m {span.Seconds}s")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(span.TotalSeconds):0}s");
}
