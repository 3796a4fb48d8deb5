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

    /// <summary>The columns an upsert writes, in the order of <see cref="Columns"/>; the workspace is the unit's.</summary>
    public static readonly RowColumn<AgentRecord>[] Written =
    [
        new("workspace_id", StoredType.Text, null, Key: true),
        new("id", StoredType.Text, a => a.Id, Key: true),
        new("name", StoredType.Text, a => a.Name),
        new("kind", StoredType.Text, a => WireNames.Of(a.Kind)),
        new("specialist_types_json", StoredType.Text, SpecialistTypesJson),
        new("client_info", StoredType.Text, a => a.ClientInfo),
        new("registered_at", StoredType.Int64, a => StoredValues.Ms(a.RegisteredAt)),
        new("updated_at", StoredType.Int64, a => StoredValues.Ms(a.UpdatedAt)),
        new("last_seen_at", StoredType.Int64, a => StoredValues.Ms(a.LastSeenAt)),
        new("last_heartbeat_at", StoredType.Int64, a => StoredValues.MsOrNull(a.LastHeartbeatAt)),
        new("claims", StoredType.Int64, a => a.Counters.Claims),
        new("heartbeats", StoredType.Int64, a => a.Counters.Heartbeats),
        new("completed", StoredType.Int64, a => a.Counters.Completed),
        new("needs_revision", StoredType.Int64, a => a.Counters.NeedsRevision),
        new("blocked", StoredType.Int64, a => a.Counters.Blocked),
        new("failed", StoredType.Int64, a => a.Counters.Failed),
        new("released", StoredType.Int64, a => a.Counters.Released),
        new("lease_expired", StoredType.Int64, a => a.Counters.LeaseExpired),
        new("duration_count", StoredType.Int64, a => a.Counters.DurationCount),
        new("duration_total_ms", StoredType.Int64, a => a.Counters.DurationTotalMs),
        new("circuit_state", StoredType.Text, a => WireNames.Of(a.Circuit.State)),
        new("circuit_opened_at", StoredType.Int64, a => StoredValues.MsOrNull(a.Circuit.OpenedAt)),
        new("circuit_retry_at", StoredType.Int64, a => StoredValues.MsOrNull(a.Circuit.RetryAt)),
        new("circuit_probe_task_id", StoredType.Text, a => a.Circuit.ProbeTaskId),
        new("circuit_opens", StoredType.Int64, a => a.Circuit.Opens),
    ];

    /// <summary>The insert-or-replace of an agent, in the dialect of <paramref name="writer"/>.</summary>
    public static string Upsert(RowWriter<AgentRecord> writer) =>
        $"INSERT INTO agent ({writer.Names}) VALUES ({writer.Parameters}) ON CONFLICT (workspace_id, id) DO UPDATE SET {writer.SetFromExcluded}";

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
