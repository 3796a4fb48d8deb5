using System.Data.Common;
using System.Text.Json;
using TaskOrchestrator.Core.Agents;
using TaskOrchestrator.Core.Common;

namespace TaskOrchestrator.Core.Storage.Relational;

/// <summary>The agent columns, in the order <see cref="Read"/> expects them.</summary>
internal static class AgentRows
{
    public const string Columns = """
        workspace_id, id, name, kind, specialist_types_json, client_info, registered_at, updated_at, last_seen_at, last_heartbeat_at,
        claims, heartbeats, completed, needs_revision, blocked, failed, released, lease_expired, duration_count, duration_total_ms,
        circuit_state, circuit_opened_at, circuit_retry_at, circuit_probe_task_id, circuit_opens
        """;

    /// <summary>The role list as stored in <c>specialist_types_json</c>.</summary>
    public static string SpecialistTypesJson(AgentRecord agent) =>
        JsonSerializer.Serialize(agent.SpecialistTypes.ToArray(), StoredJson.Default.StringArray);

    public static AgentRecord Read(DbDataReader r) => new()
    {
        WorkspaceId = r.GetString(0),
        Id = r.GetString(1),
        Name = r.GetString(2),
        Kind = WireNames.FromStore<AgentKind>(r.GetString(3)),
        SpecialistTypes = JsonSerializer.Deserialize(r.GetString(4), StoredJson.Default.StringArray) ?? [],
        ClientInfo = StoredValues.StringOrNull(r, 5),
        RegisteredAt = StoredValues.Time(r, 6),
        UpdatedAt = StoredValues.Time(r, 7),
        LastSeenAt = StoredValues.Time(r, 8),
        LastHeartbeatAt = StoredValues.TimeOrNull(r, 9),
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
        Circuit = new AgentCircuit(
            WireNames.FromStore<CircuitState>(r.GetString(20)),
            StoredValues.TimeOrNull(r, 21),
            StoredValues.TimeOrNull(r, 22),
            StoredValues.StringOrNull(r, 23),
            r.GetInt64(24)),
    };
}
