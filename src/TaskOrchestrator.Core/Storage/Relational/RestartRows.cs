using System.Data.Common;
using System.Text.Json;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Operations;

namespace TaskOrchestrator.Core.Storage.Relational;

/// <summary>The restart columns, in the order <see cref="Read"/> expects them; the phases are kept as a JSON array.</summary>
internal static class RestartRows
{
    public const string Columns = "id, workspace_id, instance_id, kind, reason, graceful, requested_by, started_at, finished_at, outcome, from_version, to_version, phases_json, error";

    /// <summary>The columns an insert or update writes, in the order of <see cref="Columns"/>.</summary>
    public static readonly RowColumn<RestartRecord>[] Written =
    [
        new("id", StoredType.Text, r => r.Id, Key: true),
        new("workspace_id", StoredType.Text, r => r.WorkspaceId, Key: true),
        new("instance_id", StoredType.Text, r => r.InstanceId),
        new("kind", StoredType.Text, r => WireNames.Of(r.Kind)),
        new("reason", StoredType.Text, r => WireNames.Of(r.Reason)),
        new("graceful", StoredType.Boolean, r => r.Graceful),
        new("requested_by", StoredType.Text, r => r.RequestedBy),
        new("started_at", StoredType.Int64, r => StoredValues.Ms(r.StartedAt)),
        new("finished_at", StoredType.Int64, r => StoredValues.MsOrNull(r.FinishedAt)),
        new("outcome", StoredType.Text, r => WireNames.Of(r.Outcome)),
        new("from_version", StoredType.Text, r => r.FromVersion),
        new("to_version", StoredType.Text, r => r.ToVersion),
        new("phases_json", StoredType.Text, PhasesJson),
        new("error", StoredType.Text, r => r.Error),
    ];

    public static string Insert(RowWriter<RestartRecord> writer) => $"INSERT INTO restart ({writer.Names}) VALUES ({writer.Parameters})";

    public static string Update(RowWriter<RestartRecord> writer) => $"UPDATE restart SET {writer.SetFromParameters} WHERE {writer.KeyMatch}";

    /// <summary>The phases as stored in <c>phases_json</c>.</summary>
    public static string PhasesJson(RestartRecord restart) =>
        JsonSerializer.Serialize(restart.Phases.ToArray(), StoredJson.Default.RestartPhaseRecordArray);

    public static RestartRecord Read(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        WorkspaceId = r.GetString(1),
        InstanceId = r.GetString(2),
        Kind = WireNames.FromStore<RestartKind>(r.GetString(3)),
        Reason = WireNames.FromStore<RestartReason>(r.GetString(4)),
        Graceful = r.GetBoolean(5),
        RequestedBy = StoredValues.StringOrNull(r, 6),
        StartedAt = StoredValues.Time(r, 7),
        FinishedAt = StoredValues.TimeOrNull(r, 8),
        Outcome = WireNames.FromStore<RestartOutcome>(r.GetString(9)),
        FromVersion = StoredValues.StringOrNull(r, 10),
        ToVersion = StoredValues.StringOrNull(r, 11),
        Phases = JsonSerializer.Deserialize(r.GetString(12), StoredJson.Default.RestartPhaseRecordArray) ?? [],
        Error = StoredValues.StringOrNull(r, 13),
    };
}
