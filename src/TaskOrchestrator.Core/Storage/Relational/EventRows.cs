using System.Data.Common;
using TaskOrchestrator.Core.Events;

namespace TaskOrchestrator.Core.Storage.Relational;

/// <summary>The event columns, in the order <see cref="Read"/> expects them.</summary>
internal static class EventRows
{
    public const string Columns = "seq, workspace_id, kind, task_id, session_id, actor, from_state, to_state, data_json, at";

    public static EventRecord Read(DbDataReader r) => new()
    {
        Sequence = r.GetInt64(0),
        WorkspaceId = r.GetString(1),
        Kind = r.GetString(2),
        TaskId = StoredValues.StringOrNull(r, 3),
        SessionId = StoredValues.StringOrNull(r, 4),
        Actor = StoredValues.StringOrNull(r, 5),
        From = StoredValues.StringOrNull(r, 6),
        To = StoredValues.StringOrNull(r, 7),
        DataJson = StoredValues.StringOrNull(r, 8),
        At = StoredValues.Time(r, 9),
    };
}
