using TaskOrchestrator.Core.Agents;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Storage.Relational;

namespace TaskOrchestrator.Storage.Postgres.Stores;

/// <summary>Agents in PostgreSQL.</summary>
internal sealed class PostgresAgentStore : IAgentStore
{
    private const string Upsert = $"""
        INSERT INTO agent ({AgentRows.Columns})
        VALUES (@ws, @id, @name, @kind, @types, @client, @registered, @updated, @seen, @heartbeat,
            @claims, @heartbeats, @completed, @revision, @blocked, @failed, @released, @expired, @dcount, @dtotal,
            @cstate, @copened, @cretry, @cprobe, @copens)
        ON CONFLICT (workspace_id, id) DO UPDATE SET name = excluded.name, kind = excluded.kind, specialist_types_json = excluded.specialist_types_json,
            client_info = excluded.client_info, registered_at = excluded.registered_at, updated_at = excluded.updated_at, last_seen_at = excluded.last_seen_at,
            last_heartbeat_at = excluded.last_heartbeat_at, claims = excluded.claims, heartbeats = excluded.heartbeats, completed = excluded.completed,
            needs_revision = excluded.needs_revision, blocked = excluded.blocked, failed = excluded.failed, released = excluded.released,
            lease_expired = excluded.lease_expired, duration_count = excluded.duration_count, duration_total_ms = excluded.duration_total_ms,
            circuit_state = excluded.circuit_state, circuit_opened_at = excluded.circuit_opened_at, circuit_retry_at = excluded.circuit_retry_at,
            circuit_probe_task_id = excluded.circuit_probe_task_id, circuit_opens = excluded.circuit_opens
        """;

    private const string Select = $"SELECT {AgentRows.Columns} FROM agent WHERE workspace_id = @ws AND id = @id";

    private const string List = $"SELECT {AgentRows.Columns} FROM agent WHERE workspace_id = @ws ORDER BY id COLLATE \"C\" LIMIT @limit";

    private const string Count = "SELECT count(*)::int FROM agent WHERE workspace_id = @ws";

    private readonly PostgresStoreUnit _unit;

    public PostgresAgentStore(PostgresStoreUnit unit)
    {
        _unit = unit;
    }

    public Task<AgentRecord?> GetAsync(string agentId, CancellationToken cancellationToken) =>
        _unit.FirstAsync(_unit.Read(Select).With("ws", _unit.WorkspaceId).With("id", agentId), AgentRows.Read, cancellationToken);

    public Task SaveAsync(AgentRecord agent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var c = agent.Counters;
        var circuit = agent.Circuit;
        return _unit.ExecuteAsync(
            _unit.Write(Upsert)
                .With("ws", _unit.WorkspaceId).With("id", agent.Id).With("name", agent.Name).With("kind", WireNames.Of(agent.Kind))
                .With("types", AgentRows.SpecialistTypesJson(agent)).With("client", agent.ClientInfo)
                .With("registered", Pg.Ms(agent.RegisteredAt)).With("updated", Pg.Ms(agent.UpdatedAt)).With("seen", Pg.Ms(agent.LastSeenAt))
                .With("heartbeat", Pg.MsOrNull(agent.LastHeartbeatAt))
                .With("claims", c.Claims).With("heartbeats", c.Heartbeats).With("completed", c.Completed).With("revision", c.NeedsRevision)
                .With("blocked", c.Blocked).With("failed", c.Failed).With("released", c.Released).With("expired", c.LeaseExpired)
                .With("dcount", c.DurationCount).With("dtotal", c.DurationTotalMs)
                .With("cstate", WireNames.Of(circuit.State)).With("copened", Pg.MsOrNull(circuit.OpenedAt)).With("cretry", Pg.MsOrNull(circuit.RetryAt))
                .With("cprobe", circuit.ProbeTaskId).With("copens", circuit.Opens),
            cancellationToken);
    }

    public async Task<IReadOnlyList<AgentRecord>> ListAsync(int limit, CancellationToken cancellationToken) =>
        await _unit.ListAsync(_unit.Read(List).With("ws", _unit.WorkspaceId).With("limit", limit), AgentRows.Read, cancellationToken);

    public async Task<int> CountAsync(CancellationToken cancellationToken) =>
        (int)(await _unit.ScalarAsync(_unit.Read(Count).With("ws", _unit.WorkspaceId), cancellationToken))!;
}
