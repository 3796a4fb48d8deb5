using Microsoft.Data.Sqlite;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Storage.Sqlite.Stores;

/// <summary>The task columns, in the order <see cref="Read"/> expects them.</summary>
internal static class TaskRows
{
    public const string Columns =
        "t.id, t.workspace_id, t.session_id, t.parent_id, t.title, t.description, t.task_type, t.specialist_type, " +
        "t.complexity, t.priority, t.status, t.version, t.context_json, t.estimated_effort, t.due_at, t.created_at, " +
        "t.updated_at, t.started_at, t.completed_at, t.assigned_agent, t.status_reason, t.result_summary, " +
        "t.holder_instance_id, t.lease_expires_at, t.lease_token, t.lease_fence, t.lease_seconds";

    /// <summary>How many columns <see cref="Columns"/> lists: queries add their own after these.</summary>
    public const int ColumnCount = 27;

    /// <summary>The SQL condition "this dependency target counts as done", over a task aliased <paramref name="alias"/>.</summary>
    public static string Satisfied(string alias) =>
        $"({alias}.status = 'completed' OR ({alias}.status = 'archived' AND {alias}.completed_at IS NOT NULL))";

    public static TaskRecord Read(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        WorkspaceId = r.GetString(1),
        SessionId = Sql.StringOrNull(r, 2),
        ParentId = Sql.StringOrNull(r, 3),
        Title = r.GetString(4),
        Description = Sql.StringOrNull(r, 5),
        Type = WireNames.FromStore<TaskType>(r.GetString(6)),
        SpecialistType = r.GetString(7),
        Complexity = WireNames.FromStore<TaskComplexity>(r.GetString(8)),
        Priority = WireNames.FromStore<TaskPriority>(r.GetString(9)),
        Status = WireNames.FromStore<TaskItemStatus>(r.GetString(10)),
        Version = r.GetInt64(11),
        ContextJson = Sql.StringOrNull(r, 12),
        EstimatedEffort = Sql.StringOrNull(r, 13),
        DueAt = Sql.TimeOrNull(r, 14),
        CreatedAt = Sql.Time(r, 15),
        UpdatedAt = Sql.Time(r, 16),
        StartedAt = Sql.TimeOrNull(r, 17),
        CompletedAt = Sql.TimeOrNull(r, 18),
        AssignedAgent = Sql.StringOrNull(r, 19),
        StatusReason = Sql.StringOrNull(r, 20),
        ResultSummary = Sql.StringOrNull(r, 21),
        HolderInstanceId = Sql.StringOrNull(r, 22),
        LeaseExpiresAt = Sql.TimeOrNull(r, 23),
        LeaseToken = Sql.StringOrNull(r, 24),
        LeaseFence = r.GetInt64(25),
        LeaseSeconds = r.IsDBNull(26) ? null : r.GetInt32(26),
    };

    public static List<TaskRecord> ReadAll(SqliteCommand command)
    {
        var tasks = new List<TaskRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            tasks.Add(Read(reader));
        }

        return tasks;
    }
}
