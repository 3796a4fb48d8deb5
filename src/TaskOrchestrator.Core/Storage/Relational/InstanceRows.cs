using System.Data.Common;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Operations;

namespace TaskOrchestrator.Core.Storage.Relational;

/// <summary>The server-instance columns, in the order <see cref="Read"/> expects them.</summary>
internal static class InstanceRows
{
    public const string Columns = "id, workspace_id, role, parent_id, host, process_id, process_started_at, executable, version, state, started_at, heartbeat_at, stopped_at, detail";

    public static ServerInstanceRecord Read(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        WorkspaceId = r.GetString(1),
        Role = WireNames.FromStore<InstanceRole>(r.GetString(2)),
        ParentId = StoredValues.StringOrNull(r, 3),
        Host = r.GetString(4),
        ProcessId = r.GetInt32(5),
        ProcessStartedAt = r.GetInt64(6),
        Executable = r.GetString(7),
        Version = r.GetString(8),
        State = WireNames.FromStore<InstanceState>(r.GetString(9)),
        StartedAt = StoredValues.Time(r, 10),
        HeartbeatAt = StoredValues.Time(r, 11),
        StoppedAt = StoredValues.TimeOrNull(r, 12),
        Detail = StoredValues.StringOrNull(r, 13),
    };
}
