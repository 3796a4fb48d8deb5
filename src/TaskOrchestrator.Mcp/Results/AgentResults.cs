using System.ComponentModel;

namespace TaskOrchestrator.Mcp.Results;

/// <summary>orchestrator_register_agent: the agent as registered.</summary>
public sealed record RegisterAgentResult(
    AgentView Agent,
    [property: Description("True when the agent was new to this workspace; false when its registration was updated (its counters and circuit stay).")] bool Created,
    [property: Description("What happened.")] string Message);

/// <summary>orchestrator_agent_status: agents with their health.</summary>
public sealed record AgentStatusResult(
    [property: Description("The agents, by id.")] IReadOnlyList<AgentView> Agents,
    [property: Description("How many agents the workspace has (more than listed when truncated).")] int Total,
    [property: Description("True when more agents exist than were listed.")] bool Truncated,
    [property: Description("Listed agents classified healthy.")] int Healthy,
    [property: Description("Listed agents classified degraded.")] int Degraded,
    [property: Description("Listed agents classified critical.")] int Critical,
    [property: Description("Listed agents whose circuit is open or half-open.")] int CircuitsNotClosed,
    AgentThresholdsView Thresholds);

/// <summary>How risk is scored and classified, and how long a circuit stays open.</summary>
public sealed record AgentThresholdsView(
    [property: Description("Risk below this is healthy.")] double HealthyBelow,
    [property: Description("Risk below this (and not healthy) is degraded; at or above it, critical: the circuit opens.")] double DegradedBelow,
    [property: Description("How long an open circuit refuses claims before one probe claim is allowed, in seconds.")] double CircuitCooldownSeconds,
    [property: Description("The risk formula.")] string RiskFormula);

/// <summary>An agent: registration, activity, counters, rates, claims held, risk and circuit.</summary>
public sealed record AgentView(
    string AgentId,
    string Name,
    [property: Description("llm or worker.")] string Kind,
    [property: Description("The specialist roles it takes; empty: any.")] IReadOnlyList<string> SpecialistTypes,
    [property: Description("The MCP client it registered through (name and version), if known.")] string? ClientInfo,
    DateTimeOffset RegisteredAt,
    [property: Description("When it last claimed, heartbeated, reported or registered.")] DateTimeOffset LastSeenAt,
    [property: Description("When it last renewed a lease; null when it never has.")] DateTimeOffset? LastHeartbeatAt,
    AgentCountersView Counters,
    AgentRatesView Rates,
    [property: Description("The tasks it holds under a claim now, soonest lease expiry first.")] IReadOnlyList<HeldClaimView> CurrentClaims,
    [property: Description("Risk score in 0..1 from its outcomes (see thresholds.risk_formula).")] double Risk,
    [property: Description("healthy, degraded or critical, by the configured thresholds.")] string Classification,
    AgentCircuitView Circuit);

/// <summary>What an agent's claims came to.</summary>
public sealed record AgentCountersView(
    long Claims,
    long Heartbeats,
    long Completed,
    long NeedsRevision,
    long Blocked,
    long Failed,
    long Released,
    long LeaseExpired,
    [property: Description("Claims that ended with a verdict: completed + needs_revision + blocked + failed + lease_expired (releases are not a verdict).")] long Outcomes,
    [property: Description("Errors: failed + lease_expired.")] long Errors,
    [property: Description("How many claim-to-completion durations duration_total_ms sums (one per completed claim).")] long DurationCount,
    [property: Description("The sum of claim-to-completion durations, in milliseconds.")] long DurationTotalMs);

/// <summary>Shares of an agent's outcomes; null before its first outcome.</summary>
public sealed record AgentRatesView(
    [property: Description("completed / outcomes.")] double? SuccessRate,
    [property: Description("failed / outcomes.")] double? FailureRate,
    [property: Description("lease_expired / outcomes.")] double? LeaseExpiryRate,
    [property: Description("duration_total_ms / duration_count / 1000: the mean claim-to-completion time in seconds; null before the first completion.")] double? AverageDurationSeconds);

/// <summary>A task an agent holds under a claim.</summary>
public sealed record HeldClaimView(string TaskId, string Title, long Fence, DateTimeOffset? StartedAt, DateTimeOffset? LeaseExpiresAt);

/// <summary>An agent's claim circuit.</summary>
public sealed record AgentCircuitView(
    [property: Description("closed (claims as usual), open (no claims until retry_at) or half_open (one probe task decides).")] string State,
    [property: Description("Whether a claim by this agent would be accepted now.")] bool MayClaim,
    [property: Description("When the circuit last opened.")] DateTimeOffset? OpenedAt,
    [property: Description("While open: when the cool-down ends and one probe claim is allowed.")] DateTimeOffset? RetryAt,
    [property: Description("While half-open: the probe task the agent holds.")] string? ProbeTaskId,
    [property: Description("How many times the circuit opened.")] long Opens,
    [property: Description("What the state means for the agent now.")] string Note);
