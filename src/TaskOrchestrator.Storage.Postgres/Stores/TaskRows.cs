using Npgsql;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Storage.Postgres.Stores;

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

    public static TaskRecord Read(NpgsqlDataReader r) => new()
    {
        Id = r.GetString(0),
        WorkspaceId = r.GetString(1),
        SessionId = Pg.StringOrNull(r, 2),
        ParentId = Pg.StringOrNull(r, 3),
        Title = r.GetString(4),
        Description = Pg.StringOrNull(r, 5),
        Type = WireNames.FromStore<TaskType>(r.GetString(6)),
        SpecialistType = r.GetString(7),
        Complexity = WireNames.FromStore<TaskComplexity>(r.GetString(8)),
        Priority = WireNames.FromStore<TaskPriority>(r.GetString(9)),
        Status = WireNames.FromStore<TaskItemStatus>(r.GetString(10)),
        Version = r.GetInt64(11),
        ContextJson = Pg.StringOrNull(r, 12),
        EstimatedEffort = Pg.StringOrNull(r, 13),
        DueAt = Pg.TimeOrNull(r, 14),
        CreatedAt = Pg.Time(r, 15),
        UpdatedAt = Pg.Time(r, 16),
        StartedAt = Pg.TimeOrNull(r, 17),
        CompletedAt = Pg.TimeOrNull(r, 18),
        AssignedAgent = Pg.StringOrNull(r, 19),
        StatusReason = Pg.StringOrNull(r, 20),
        ResultSummary = Pg.StringOrNull(r, 21),
        HolderInstanceId = Pg.StringOrNull(r, 22),
        LeaseExpiresAt = Pg.TimeOrNull(r, 23),
        LeaseToken = Pg.StringOrNull(r, 24),
        LeaseFence = r.GetInt64(25),
        LeaseSeconds = r.IsDBNull(26) ? null : r.GetInt32(26),
    };

    /// <summary>Binds every stored column of <paramref name="task"/> as <c>@name</c> parameters.</summary>
    public static NpgsqlCommand BindAll(this NpgsqlCommand command, TaskRecord task) => command
        .With("id", task.Id)
        .With("workspace_id", task.WorkspaceId)
        .With("session_id", task.SessionId)
        .With("parent_id", task.ParentId)
        .With("title", task.Title)
        .With("description", task.Description)
        .With("task_type", WireNames.Of(task.Type))
        .With("specialist_type", task.SpecialistType)
        .With("complexity", WireNames.Of(task.Complexity))
        .With("complexity_rank", (int)task.Complexity)
        .With("priority", WireNames.Of(task.Priority))
        .With("priority_rank", (int)task.Priority)
        .With("status", WireNames.Of(task.Status))
        .With("version", task.Version)
        .With("context_json", task.ContextJson)
        .With("estimated_effort", task.EstimatedEffort)
        .With("due_at", Pg.MsOrNull(task.DueAt))
        .With("created_at", Pg.Ms(task.CreatedAt))
        .With("updated_at", Pg.Ms(task.UpdatedAt))
        .With("started_at", Pg.MsOrNull(task.StartedAt))
        .With("completed_at", Pg.MsOrNull(task.CompletedAt))
        .With("assigned_agent", task.AssignedAgent)
        .With("status_reason", task.StatusReason)
        .With("result_summary", task.ResultSummary)
        .With("holder_instance_id", task.HolderInstanceId)
        .With("lease_expires_at", Pg.MsOrNull(task.LeaseExpiresAt))
        .With("lease_token", task.LeaseToken)
        .With("lease_fence", task.LeaseFence)
        .With("lease_seconds", task.LeaseSeconds);
}
