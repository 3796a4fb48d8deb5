using TaskOrchestrator.Core.Agents;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Storage.Relational;

namespace TaskOrchestrator.Storage.Sqlite.Stores;

/// <summary>Agents in SQLite.</summary>
internal sealed class SqliteAgentStore : IAgentStore
{
    private const string Upsert = $"""
        INSERT INTO agent ({AgentRows.Columns})
        VALUES ($ws, $id, $name, $kind, $types, $client, $registered, $updated, $seen, $heartbeat,
            $claims, $heartbeats, $completed, $revision, $blocked, $failed, $released, $expired, $dcount, $dtotal,
            $cstate, $copened, $cretry, $cprobe, $copens)
        ON CONFLICT (workspace_id, id) DO UPDATE SET name = excluded.name, kind = excluded.kind, specialist_types_json = excluded.specialist_types_json,
            client_info = excluded.client_info, registered_at = excluded.registered_at, updated_at = excluded.updated_at, last_seen_at = excluded.last_seen_at,
            last_heartbeat_at = excluded.last_heartbeat_at, claims = excluded.claims, heartbeats = excluded.heartbeats, completed = excluded.completed,
            needs_revision = excluded.needs_revision, blocked = excluded.blocked, failed = excluded.failed, released = excluded.released,
            lease_expired = excluded.lease_expired, duration_count = excluded.duration_count, duration_total_ms = excluded.duration_total_ms,
            circuit_state = excluded.circuit_state, circuit_opened_at = excluded.circuit_opened_at, circuit_retry_at = excluded.circuit_retry_at,
            circuit_probe_task_id = excluded.circuit_probe_task_id, circuit_opens = excluded.circuit_opens
        """;

    private readonly SqliteStoreUnit _unit;

    public SqliteAgentStore(SqliteStoreUnit unit)
    {
        _unit = unit;
    }

    public Task<AgentRecord?> GetAsync(string agentId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_unit.Read($"SELECT {AgentRows.Columns} FROM agent WHERE workspace_id = $ws AND id = $id").With("$ws", _unit.WorkspaceId).With("$id", agentId).ReadFirst(AgentRows.Read));
    }

    public Task SaveAsync(AgentRecord agent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        cancellationToken.ThrowIfCancellationRequested();
        var c = agent.Counters;
        var circuit = agent.Circuit;
        _unit.Write(Upsert)
            .With("$ws", _unit.WorkspaceId).With("$id", agent.Id).With("$name", agent.Name).With("$kind", WireNames.Of(agent.Kind))
            .With("$types", AgentRows.SpecialistTypesJson(agent)).With("$client", agent.ClientInfo)
            .With("$registered", Sql.Ms(agent.RegisteredAt)).With("$updated", Sql.Ms(agent.UpdatedAt)).With("$seen", Sql.Ms(agent.LastSeenAt))
            .With("$heartbeat", Sql.MsOrNull(agent.LastHeartbeatAt))
            .With("$claims", c.Claims).With("$heartbeats", c.Heartbeats).With("$completed", c.Completed).With("$revision", c.NeedsRevision)
            .With("$blocked", c.Blocked).With("$failed", c.Failed).With("$released", c.Released).With("$expired", c.LeaseExpired)
            .With("$dcount", c.DurationCount).With("$dtotal", c.DurationTotalMs)
            .With("$cstate", WireNames.Of(circuit.State)).With("$copened", Sql.MsOrNull(circuit.OpenedAt)).With("$cretry", Sql.MsOrNull(circuit.RetryAt))
            .With("$cprobe", circuit.ProbeTaskId).With("$copens", circuit.Opens)
            .ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AgentRecord>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _unit.Read($"SELECT {AgentRows.Columns} FROM agent WHERE workspace_id = $ws ORDER BY id LIMIT $limit").With("$ws", _unit.WorkspaceId).With("$limit", limit);
        return Task.FromResult<IReadOnlyList<AgentRecord>>(command.ReadAll(AgentRows.Read));
    }

    public Task<int> CountAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Convert.ToInt32(_unit.Read("SELECT count(*) FROM agent WHERE workspace_id = $ws").With("$ws", _unit.WorkspaceId).ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }
}
