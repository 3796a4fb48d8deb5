using System.Data.Common;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Operations;

namespace TaskOrchestrator.Core.Storage.Relational;

/// <summary>The server-instance columns, in the order <see cref="Read"/> expects them.</summary>
internal static class InstanceRows
{
    public const string Columns = "id, workspace_id, role, parent_id, host, process_id, process_started_at, executable, version, state, started_at, heartbeat_at, stopped_at, detail";

    /// <summary>The columns an upsert writes, in the order of <see cref="Columns"/>.</summary>
    public static readonly RowColumn<ServerInstanceRecord>[] Written =
    [
        new("id", StoredType.Text, i => i.Id, Key: true),
        new("workspace_id", StoredType.Text, i => i.WorkspaceId, Key: true),
        new("role", StoredType.Text, i => WireNames.Of(i.Role)),
        new("parent_id", StoredType.Text, i => i.ParentId),
        new("host", StoredType.Text, i => i.Host),
        new("process_id", StoredType.Int32, i => i.ProcessId),
        new("process_started_at", StoredType.Int64, i => i.ProcessStartedAt),
        new("executable", StoredType.Text, i => i.Executable),
        new("version", StoredType.Text, i => i.Version),
        new("state", StoredType.Text, i => WireNames.Of(i.State)),
        new("started_at", StoredType.Int64, i => StoredValues.Ms(i.StartedAt)),
        new("heartbeat_at", StoredType.Int64, i => StoredValues.Ms(i.HeartbeatAt)),
        new("stopped_at", StoredType.Int64, i => StoredValues.MsOrNull(i.StoppedAt)),
        new("detail", StoredType.Text, i => i.Detail),
    ];

    /// <summary>
    /// The insert-or-replace of an instance; <paramref name="conflictTarget"/> is the backend's unique key
    /// over the id (the id alone where a database is one workspace, the workspace and id where it is many).
    /// </summary>
    public static string Upsert(RowWriter<ServerInstanceRecord> writer, string conflictTarget) =>
        $"INSERT INTO server_instance ({writer.Names}) VALUES ({writer.Parameters}) ON CONFLICT ({conflictTarget}) DO UPDATE SET {writer.SetFromExcluded}";

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
