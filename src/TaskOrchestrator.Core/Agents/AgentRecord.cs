namespace TaskOrchestrator.Core.Agents;

/// <summary>
/// The stored state of an agent in a workspace: who it is, what it takes, when it was last heard
/// from, what it has done and its claim circuit. Behaviour lives in <see cref="AgentItem"/>.
/// </summary>
public sealed record AgentRecord
{
    /// <summary>The workspace it works in.</summary>
    public required string WorkspaceId { get; init; }

    /// <summary>The agent id the agent names itself with.</summary>
    public required string Id { get; init; }

    /// <summary>A display name.</summary>
    public required string Name { get; init; }

    /// <summary>What drives it.</summary>
    public AgentKind Kind { get; init; } = AgentKind.Llm;

    /// <summary>The specialist roles it takes; empty: any.</summary>
    public IReadOnlyList<string> SpecialistTypes { get; init; } = [];

    /// <summary>The MCP client it registered through ("name version"), if known.</summary>
    public string? ClientInfo { get; init; }

    /// <summary>When it was first registered.</summary>
    public required DateTimeOffset RegisteredAt { get; init; }

    /// <summary>When its registration or counters last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it last claimed, heartbeated, reported or registered.</summary>
    public required DateTimeOffset LastSeenAt { get; init; }

    /// <summary>When it last renewed a lease, or null when it never has.</summary>
    public DateTimeOffset? LastHeartbeatAt { get; init; }

    /// <summary>What it has done.</summary>
    public AgentCounters Counters { get; init; } = AgentCounters.None;

    /// <summary>Its claim circuit.</summary>
    public AgentCircuit Circuit { get; init; } = AgentCircuit.Closed;

    /// <inheritdoc />
    public bool Equals(AgentRecord? other) =>
        other is not null
        && WorkspaceId == other.WorkspaceId && Id == other.Id && Name == other.Name && Kind == other.Kind
        && SpecialistTypes.SequenceEqual(other.SpecialistTypes, StringComparer.Ordinal) && ClientInfo == other.ClientInfo
        && RegisteredAt == other.RegisteredAt && UpdatedAt == other.UpdatedAt && LastSeenAt == other.LastSeenAt
        && LastHeartbeatAt == other.LastHeartbeatAt && Counters == other.Counters && Circuit == other.Circuit;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(WorkspaceId, Id, LastSeenAt, Counters, Circuit);
}
