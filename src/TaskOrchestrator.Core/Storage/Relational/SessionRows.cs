using System.Data.Common;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Sessions;

namespace TaskOrchestrator.Core.Storage.Relational;

/// <summary>The session columns (over a session aliased <c>s</c>), in the order <see cref="Read"/> expects them.</summary>
internal static class SessionRows
{
    public const string Columns = "s.id, s.workspace_id, s.name, s.status, s.client_info, s.created_at, s.last_activity_at, s.version";

    /// <summary>The columns an insert writes.</summary>
    public static readonly RowColumn<SessionRecord>[] Written =
    [
        new("id", StoredType.Text, s => s.Id),
        new("workspace_id", StoredType.Text, s => s.WorkspaceId),
        new("name", StoredType.Text, s => s.Name),
        new("status", StoredType.Text, s => WireNames.Of(s.Status)),
        new("client_info", StoredType.Text, s => s.ClientInfo),
        new("created_at", StoredType.Int64, s => StoredValues.Ms(s.CreatedAt)),
        new("last_activity_at", StoredType.Int64, s => StoredValues.Ms(s.LastActivityAt)),
        new("version", StoredType.Int64, s => s.Version),
    ];

    public static string Insert(RowWriter<SessionRecord> writer) => $"INSERT INTO session ({writer.Names}) VALUES ({writer.Parameters})";

    public static SessionRecord Read(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        WorkspaceId = r.GetString(1),
        Name = r.GetString(2),
        Status = WireNames.FromStore<SessionStatus>(r.GetString(3)),
        ClientInfo = StoredValues.StringOrNull(r, 4),
        CreatedAt = StoredValues.Time(r, 5),
        LastActivityAt = StoredValues.Time(r, 6),
        Version = r.GetInt64(7),
    };

    /// <summary>
    /// The error for a guarded session update that wrote no row: <paramref name="currentVersion"/> is the
    /// stored version, or null when the session no longer exists.
    /// </summary>
    public static OrchestratorException UpdateFailed(SessionRecord session, long expectedVersion, long? currentVersion) =>
        currentVersion is not { } current
            ? Fail.NotFound("session_id", "session", session.Id)
            : Fail.With(
                ErrorCodes.VersionConflict,
                $"Session '{session.Id}' changed concurrently (now version {current}, expected {expectedVersion}); nothing was changed.",
                "session_id",
                null,
                "Retry the call; it re-reads the session.",
                new System.Text.Json.Nodes.JsonObject { ["current_version"] = current, ["expected_version"] = expectedVersion, ["session_id"] = session.Id });
}
