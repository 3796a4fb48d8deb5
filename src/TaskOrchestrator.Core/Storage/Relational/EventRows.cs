using System.Data.Common;
using TaskOrchestrator.Core.Events;

namespace TaskOrchestrator.Core.Storage.Relational;

/// <summary>The event columns, in the order <see cref="Read"/> expects them.</summary>
internal static class EventRows
{
    public const string Columns = "seq, workspace_id, kind, task_id, session_id, actor, from_state, to_state, data_json, at";

    /// <summary>The columns an append writes (the sequence is the database's).</summary>
    public static readonly RowColumn<EventRecord>[] Written =
    [
        new("workspace_id", StoredType.Text, e => e.WorkspaceId),
        new("kind", StoredType.Text, e => e.Kind),
        new("task_id", StoredType.Text, e => e.TaskId),
        new("session_id", StoredType.Text, e => e.SessionId),
        new("actor", StoredType.Text, e => e.Actor),
        new("from_state", StoredType.Text, e => e.From),
        new("to_state", StoredType.Text, e => e.To),
        new("data_json", StoredType.Text, e => e.DataJson),
        new("at", StoredType.Int64, e => StoredValues.Ms(e.At)),
    ];

    /// <summary>The append of an event; the store gives it the next sequence number.</summary>
    public static string Append(RowWriter<EventRecord> writer) => $"INSERT INTO event ({writer.Names}) VALUES ({writer.Parameters})";

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
