using System.Data.Common;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Storage.Relational;

/// <summary>The task columns both backends select, in the order <see cref="Read"/> expects them.</summary>
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

    /// <summary>The task of the reader's current row; the claim and query paths read every row through here.</summary>
    public static TaskRecord Read(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        WorkspaceId = r.GetString(1),
        SessionId = StoredValues.StringOrNull(r, 2),
        ParentId = StoredValues.StringOrNull(r, 3),
        Title = r.GetString(4),
        Description = StoredValues.StringOrNull(r, 5),
        Type = WireNames.FromStore<TaskType>(r.GetString(6)),
        SpecialistType = r.GetString(7),
        Complexity = WireNames.FromStore<TaskComplexity>(r.GetString(8)),
        Priority = WireNames.FromStore<TaskPriority>(r.GetString(9)),
        Status = WireNames.FromStore<TaskItemStatus>(r.GetString(10)),
        Version = r.GetInt64(11),
        ContextJson = StoredValues.StringOrNull(r, 12),
        EstimatedEffort = StoredValues.StringOrNull(r, 13),
        DueAt = StoredValues.TimeOrNull(r, 14),
        CreatedAt = StoredValues.Time(r, 15),
        UpdatedAt = StoredValues.Time(r, 16),
        StartedAt = StoredValues.TimeOrNull(r, 17),
        CompletedAt = StoredValues.TimeOrNull(r, 18),
        AssignedAgent = StoredValues.StringOrNull(r, 19),
        StatusReason = StoredValues.StringOrNull(r, 20),
        ResultSummary = StoredValues.StringOrNull(r, 21),
        HolderInstanceId = StoredValues.StringOrNull(r, 22),
        LeaseExpiresAt = StoredValues.TimeOrNull(r, 23),
        LeaseToken = StoredValues.StringOrNull(r, 24),
        LeaseFence = r.GetInt64(25),
        LeaseSeconds = r.IsDBNull(26) ? null : r.GetInt32(26),
    };
}
