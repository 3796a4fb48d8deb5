using System.Text.Json;
using Microsoft.Data.Sqlite;
using TaskOrchestrator.Core.Agents;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Storage.Sqlite.Stores;

/// <summary>Agents in SQLite.</summary>
internal sealed class SqliteAgentStore : IAgentStore
{
    private const string Columns = """
        workspace_id, id, name, kind, specialist_types_json, client_info, registered_at, updated_at, last_seen_at, last_heartbeat_at,
        claims, heartbeats, completed, needs_revision, blocked, failed, released, lease_expired, duration_count, duration_total_ms,
        circuit_state, circuit_opened_at, circuit_retry_at, circuit_probe_task_id, circuit_opens
        """;

    private const string Upsert = $"""
        INSERT INTO agent ({Columns})
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
        using var reader = _unit.Read($"SELECT {Columns} FROM agent WHERE workspace_id = $ws AND id = $id").With("$ws", _unit.WorkspaceId).With("$id", agentId).ExecuteReader();
        return Task.FromResult(reader.Read() ? Read(reader) : null);
    }

    public Task SaveAsync(AgentRecord agent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        cancellationToken.ThrowIfCancellationRequested();
        var c = agent.Counters;
        var circuit = agent.Circuit;
        _unit.Write(Upsert)
            .With("$ws", _unit.WorkspaceId).With("$id", agent.Id).With("$name", agent.Name).With("$kind", WireNames.Of(agent.Kind))
            .With("$types", JsonSerializer.Serialize(agent.SpecialistTypes.ToArray(), SqliteJson.Default.StringArray)).With("$client", agent.ClientInfo)
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
        var agents = new List<AgentRecord>();
        using var reader = _unit.Read($"SELECT {Columns} FROM agent WHERE workspace_id = $ws ORDER BY id LIMIT $limit").With("$ws", _unit.WorkspaceId).With("$limit", limit).ExecuteReader();
        while (reader.Read())
        {
            agents.Add(Read(reader));
        }

        return Task.FromResult<IReadOnlyList<AgentRecord>>(agents);
    }

    public Task<int> CountAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Convert.ToInt32(_unit.Read("SELECT count(*) FROM agent WHERE workspace_id = $ws").With("$ws", _unit.WorkspaceId).ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    private static AgentRecord Read(SqliteDataReader r) => new()
    {
        WorkspaceId = r.GetString(0),
        Id = r.GetString(1),
        Name = r.GetString(2),
        Kind = WireNames.FromStore<AgentKind>(r.GetString(3)),
        SpecialistTypes = JsonSerializer.Deserialize(r.GetString(4), SqliteJson.Default.StringArray) ?? [],
        ClientInfo = Sql.StringOrNull(r, 5),
        RegisteredAt = Sql.Time(r, 6),
        UpdatedAt = Sql.Time(r, 7),
        LastSeenAt = Sql.Time(r, 8),
        LastHeartbeatAt = Sql.TimeOrNull(r, 9),
        Counters = new AgentCounters
        {
            Claims = r.GetInt64(10),
            Heartbeats = r.GetInt64(11),
            Completed = r.GetInt64(12),
            NeedsRevision = r.GetInt64(13),
            Blocked = r.GetInt64(14),
            Failed = r.GetInt64(15),
            Released = r.GetInt64(16),
            LeaseExpired = r.GetInt64(17),
            DurationCount = r.GetInt64(18),
            DurationTotalMs = r.GetInt64(19),
        },
        Circuit = new AgentCircuit(WireNames.FromStore<CircuitState>(r.GetString(20)), Sql.TimeOrNull(r, 21), Sql.TimeOrNull(r, 22), Sql.StringOrNull(r, 23), r.GetInt64(24)),
    };
}
