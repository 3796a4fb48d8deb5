using System.Data.Common;
using System.Text.Json;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Operations;

namespace TaskOrchestrator.Core.Storage.Relational;

/// <summary>The restart columns, in the order <see cref="Read"/> expects them; the phases are kept as a JSON array.</summary>
internal static class RestartRows
{
    public const string Columns = "id, workspace_id, instance_id, kind, reason, graceful, requested_by, started_at, finished_at, outcome, from_version, to_version, phases_json, error";

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
