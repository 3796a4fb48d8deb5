using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Storage.Relational;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Claims;

namespace TaskOrchestrator.Storage.Postgres.Stores;

/// <summary>Tasks in PostgreSQL.</summary>
internal sealed class PostgresTaskStore : ITaskStore
{
    private const string SelectById = $"SELECT {TaskRows.Columns} FROM task t WHERE t.workspace_id = @ws AND t.id = @id";

    private const string SelectMany = $"SELECT {TaskRows.Columns} FROM task t WHERE t.workspace_id = @ws AND t.id = ANY(@ids)";

    private const string CurrentVersion = "SELECT version FROM task WHERE workspace_id = @ws AND id = @id";

    private const string Delete = "DELETE FROM task WHERE workspace_id = @ws AND id = ANY(@ids)";

    private const string Children = $"SELECT {TaskRows.Columns} FROM task t WHERE t.workspace_id = @ws AND t.parent_id = ANY(@ids) ORDER BY t.seq";

    // The children of one task (every claim's context asks): an equality the server plans once per
    // connection, where the array form above is planned anew on every call (0.25 ms each).
    private const string ChildrenOfOne = $"SELECT {TaskRows.Columns} FROM task t WHERE t.workspace_id = @ws AND t.parent_id = @id ORDER BY t.seq";

    private const string Descendants = $"""
        WITH RECURSIVE subtree(id) AS (
            SELECT id FROM task WHERE workspace_id = @ws AND parent_id = @root
            UNION ALL
            SELECT c.id FROM task c JOIN subtree s ON c.workspace_id = @ws AND c.parent_id = s.id
        )
        SELECT {TaskRows.Columns} FROM task t WHERE t.workspace_id = @ws AND t.id IN (SELECT id FROM subtree) ORDER BY t.seq
        """;

    // One statement per shape, with and without the session: "(@s IS NULL OR session_id = @s)" would
    // leave a prepared statement's generic plan unable to use the session index.
    private const string CountStatus = "SELECT status, count(*)::int FROM task WHERE workspace_id = @ws GROUP BY status";

    private const string CountStatusOfSession = "SELECT status, count(*)::int FROM task WHERE workspace_id = @ws AND session_id = @s GROUP BY status";

    private const string CountOpenWork = """
        SELECT (SELECT count(*)::int FROM (SELECT 1 FROM task WHERE workspace_id = @ws AND status = 'pending' LIMIT @cap) p),
               (SELECT count(*)::int FROM (SELECT 1 FROM task WHERE workspace_id = @ws AND status = 'in_progress' LIMIT @cap) i)
        """;

    private const string CountSpecialist = """
        SELECT specialist_type, status, count(*)::int FROM task WHERE workspace_id = @ws
        GROUP BY specialist_type, status ORDER BY specialist_type COLLATE "C", status COLLATE "C"
        """;

    private const string CountSpecialistOfSession = """
        SELECT specialist_type, status, count(*)::int FROM task WHERE workspace_id = @ws AND session_id = @s
        GROUP BY specialist_type, status ORDER BY specialist_type COLLATE "C", status COLLATE "C"
        """;

    private const string Orphans = $"""
        SELECT {TaskRows.Columns} FROM task t LEFT JOIN task p ON p.workspace_id = t.workspace_id AND p.id = t.parent_id
        WHERE t.workspace_id = @ws AND t.parent_id IS NOT NULL AND t.status IN ('pending', 'in_progress', 'blocked')
          AND (p.id IS NULL OR p.status IN ('cancelled', 'archived'))
        ORDER BY t.seq LIMIT @limit
        """;

    private const string Stale = $"""
        SELECT {TaskRows.Columns} FROM task t
        WHERE t.workspace_id = @ws AND t.status = 'in_progress' AND t.updated_at < @before
        ORDER BY t.updated_at, t.seq LIMIT @limit
        """;

    // Run by every claim batch under the write lock, so its plan must not depend on fresh statistics: the
    // status test is written so that no status index can serve it. With statistics from before a burst of
    // claims (no task in progress yet) the planner otherwise walks every in-progress task through a status
    // index to find none expired: 16 ms a batch at 20,000 claimed tasks, where the lease index takes 0.05.
    private const string ExpiredLeases = $"""
        SELECT {TaskRows.Columns} FROM task t
        WHERE t.workspace_id = @ws AND t.lease_expires_at < @now AND t.status || '' = 'in_progress'
        ORDER BY t.lease_expires_at, t.seq LIMIT @limit
        """;

    private const string HolderIds = """
        SELECT DISTINCT t.holder_instance_id FROM task t
        WHERE t.workspace_id = @ws AND t.holder_instance_id IS NOT NULL AND t.status = 'in_progress'
        ORDER BY t.holder_instance_id LIMIT @limit
        """;

    private const string HeldBy = $"""
        SELECT {TaskRows.Columns} FROM task t
        WHERE t.workspace_id = @ws AND t.holder_instance_id = ANY(@ids) AND t.status = 'in_progress'
        ORDER BY t.seq LIMIT @limit
        """;

    private const string ClaimedBy = $"""
        SELECT {TaskRows.Columns} FROM task t
        WHERE t.workspace_id = @ws AND t.assigned_agent = ANY(@ids) AND t.lease_token IS NOT NULL AND t.status = 'in_progress'
        ORDER BY t.assigned_agent COLLATE "C", t.lease_expires_at, t.id COLLATE "C" LIMIT @limit
        """;

    private const string AllNodes = $"SELECT t.id, t.parent_id, t.session_id, t.status, {TaskRowsSatisfiedT} FROM task t WHERE t.workspace_id = @ws ORDER BY t.seq";

    private const string TaskRowsSatisfiedT = "(t.status = 'completed' OR (t.status = 'archived' AND t.completed_at IS NOT NULL))";

    private static readonly TaskColumns Columns = new(PostgresDialect.Instance);

    private readonly PostgresStoreUnit _unit;

    public PostgresTaskStore(PostgresStoreUnit unit)
    {
        _unit = unit;
    }

    public Task<TaskRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        _unit.FirstAsync(_unit.Read(SelectById).With("ws", _unit.WorkspaceId).With("id", id), TaskRows.Read, cancellationToken);

    public async Task<IReadOnlyList<TaskRecord>> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        return await _unit.ListAsync(_unit.Read(SelectMany).With("ws", _unit.WorkspaceId).With("ids", ids), TaskRows.Read, cancellationToken);
    }

    public Task InsertAsync(TaskRecord task, CancellationToken cancellationToken)
    {
        var command = _unit.Write(Columns.Insert);
        Columns.BindAll(command, task);
        return _unit.DeferAsync(command, null, cancellationToken);
    }

    public Task UpdateAsync(TaskRecord task, long expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        return UpdateAsync(task, TaskColumns.Updatable, expectedVersion, cancellationToken);
    }

    public Task UpdateAsync(TaskRecord task, TaskRecord stored, CancellationToken cancellationToken) =>
        UpdateAsync(task, TaskColumns.Changed(task, stored), stored.Version, cancellationToken);

    // Deferred (see PostgresStoreUnit). One row written: done. None: the task is gone or its version moved
    // on, and the unit fails with the task's current version.
    private Task UpdateAsync(TaskRecord task, int changed, long expectedVersion, CancellationToken cancellationToken)
    {
        var command = _unit.Write(Columns.Update(changed));
        Columns.BindUpdate(command, task, changed, expectedVersion);
        return _unit.DeferAsync(command, async (rows, ct) =>
        {
            if (rows != 1)
            {
                var current = await _unit.ScalarAsync(_unit.Read(CurrentVersion).With("ws", _unit.WorkspaceId).With("id", task.Id), ct);
                throw TaskColumns.UpdateFailed(task.Id, expectedVersion, (long?)current);
            }
        }, cancellationToken);
    }

    public async Task DeleteAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count > 0)
        {
            // One statement for the whole set: PostgreSQL checks the parent foreign key at the end of the
            // statement, so a subtree may be deleted in any order. Artifacts and edges cascade.
            await _unit.ExecuteAsync(_unit.Write(Delete).With("ws", _unit.WorkspaceId).With("ids", ids), cancellationToken);
        }
    }

    public Task<TaskPage> QueryAsync(TaskQuery query, CancellationToken cancellationToken) =>
        new PostgresTaskQuery(_unit, query).RunAsync(cancellationToken);

    public async Task<IReadOnlyList<TaskRecord>> GetChildrenAsync(IReadOnlyCollection<string> parentIds, CancellationToken cancellationToken)
    {
        if (parentIds.Count == 0)
        {
            return [];
        }

        var command = parentIds.Count == 1
            ? _unit.Read(ChildrenOfOne).With("id", parentIds.First())
            : _unit.Read(Children).With("ids", parentIds);
        return await _unit.ListAsync(command.With("ws", _unit.WorkspaceId), TaskRows.Read, cancellationToken);
    }

    public async Task<IReadOnlyList<TaskRecord>> GetDescendantsAsync(string rootId, CancellationToken cancellationToken) =>
        await _unit.ListAsync(_unit.Read(Descendants).With("ws", _unit.WorkspaceId).With("root", rootId), TaskRows.Read, cancellationToken);

    public async Task<IReadOnlyDictionary<TaskItemStatus, int>> CountByStatusAsync(string? sessionId, CancellationToken cancellationToken)
    {
        var command = sessionId is null ? _unit.Read(CountStatus) : _unit.Read(CountStatusOfSession).With("s", sessionId);
        var rows = await _unit.ListAsync(
            command.With("ws", _unit.WorkspaceId),
            r => (Status: WireNames.FromStore<TaskItemStatus>(r.GetString(0)), Count: r.GetInt32(1)),
            cancellationToken);
        return rows.ToDictionary(r => r.Status, r => r.Count);
    }

    public async Task<(int Pending, int InProgress)> CountOpenWorkAsync(int cap, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cap);
        return (await _unit.ListAsync(_unit.Read(CountOpenWork).With("ws", _unit.WorkspaceId).With("cap", cap), r => (r.GetInt32(0), r.GetInt32(1)), cancellationToken))[0];
    }

    public async Task<IReadOnlyList<SpecialistStatusCount>> CountBySpecialistAsync(string? sessionId, CancellationToken cancellationToken) =>
        await _unit.ListAsync(
            (sessionId is null ? _unit.Read(CountSpecialist) : _unit.Read(CountSpecialistOfSession).With("s", sessionId)).With("ws", _unit.WorkspaceId),
            r => new SpecialistStatusCount(r.GetString(0), WireNames.FromStore<TaskItemStatus>(r.GetString(1)), r.GetInt32(2)),
            cancellationToken);

    public async Task<IReadOnlyList<TaskRecord>> GetOrphansAsync(int limit, CancellationToken cancellationToken) =>
        await _unit.ListAsync(_unit.Read(Orphans).With("ws", _unit.WorkspaceId).With("limit", limit), TaskRows.Read, cancellationToken);

    public async Task<IReadOnlyList<TaskRecord>> GetStaleInProgressAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken) =>
        await _unit.ListAsync(
            _unit.Read(Stale).With("ws", _unit.WorkspaceId).With("before", Pg.Ms(updatedBefore)).With("limit", limit),
            TaskRows.Read,
            cancellationToken);

    public async Task<IReadOnlyList<TaskRecord>> FindClaimableAsync(ClaimFilter filter, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);

        // The hand-out order is the order of ix_task_status_order, so the scan stops once it has found
        // `limit` ready pending tasks. FOR UPDATE SKIP LOCKED locks the picks inside the write unit's transaction, so
        // the claims that follow in the same unit cannot be overtaken, and a row some other transaction has
        // locked (an operator's manual change, a copy in progress) is passed over instead of waited for.
        // Claimers of the same workspace already take turns on the workspace's write lock (see
        // PostgresOrchestratorStore), so among them SKIP LOCKED never skips a row they would race for.
        var sql = new System.Text.StringBuilder();
        if (filter.WithinTaskId is not null)
        {
            sql.Append("WITH RECURSIVE subtree(id) AS (SELECT id FROM task WHERE workspace_id = @ws AND parent_id = @within UNION ALL SELECT c.id FROM task c JOIN subtree s ON c.workspace_id = @ws AND c.parent_id = s.id) ");
        }

        sql.Append($"SELECT {TaskRows.Columns} FROM task t WHERE t.workspace_id = @ws AND t.status = 'pending'");
        if (filter.SpecialistTypes.Count > 0)
        {
            sql.Append(" AND t.specialist_type = ANY(@specialists)");
        }

        if (filter.TaskTypes.Count > 0)
        {
            sql.Append(" AND t.task_type = ANY(@types)");
        }

        if (filter.WithinTaskId is not null)
        {
            sql.Append(" AND t.id IN (SELECT id FROM subtree)");
        }

        sql.Append(" AND NOT EXISTS (SELECT 1 FROM dependency d JOIN task dt ON dt.workspace_id = d.workspace_id AND dt.id = d.depends_on_id WHERE d.workspace_id = t.workspace_id AND d.task_id = t.id AND d.kind = 'hard' AND NOT ")
            .Append(TaskRows.Satisfied("dt"))
            .Append(") AND NOT EXISTS (SELECT 1 FROM task c WHERE c.workspace_id = t.workspace_id AND c.parent_id = t.id AND c.status IN ('pending', 'in_progress', 'blocked'))")
            .Append(" ORDER BY t.priority_rank DESC, t.complexity_rank, t.seq LIMIT @limit");
        if (_unit.IsWrite)
        {
            sql.Append(" FOR UPDATE OF t SKIP LOCKED");
        }

        var command = _unit.Read(sql.ToString()).With("ws", _unit.WorkspaceId).With("limit", limit);
        if (filter.SpecialistTypes.Count > 0)
        {
            command.With("specialists", filter.SpecialistTypes);
        }

        if (filter.TaskTypes.Count > 0)
        {
            command.With("types", filter.TaskTypes.Select(WireNames.Of));
        }

        if (filter.WithinTaskId is not null)
        {
            command.With("within", filter.WithinTaskId);
        }

        return await _unit.ListAsync(command, TaskRows.Read, cancellationToken);
    }

    public async Task<IReadOnlyList<TaskRecord>> GetExpiredLeasesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        await _unit.ListAsync(
            _unit.Read(ExpiredLeases).With("ws", _unit.WorkspaceId).With("now", Pg.Ms(now)).With("limit", limit),
            TaskRows.Read,
            cancellationToken);

    public async Task<IReadOnlyList<string>> GetHolderInstanceIdsAsync(int limit, CancellationToken cancellationToken) =>
        await _unit.ListAsync(_unit.Read(HolderIds).With("ws", _unit.WorkspaceId).With("limit", limit), r => r.GetString(0), cancellationToken);

    public async Task<IReadOnlyList<TaskRecord>> GetHeldByAsync(IReadOnlyCollection<string> instanceIds, int limit, CancellationToken cancellationToken)
    {
        if (instanceIds.Count == 0)
        {
            return [];
        }

        return await _unit.ListAsync(
            _unit.Read(HeldBy).With("ws", _unit.WorkspaceId).With("ids", instanceIds).With("limit", limit),
            TaskRows.Read,
            cancellationToken);
    }

    public async Task<IReadOnlyList<TaskRecord>> GetClaimedByAsync(IReadOnlyCollection<string> agentIds, int limit, CancellationToken cancellationToken)
    {
        if (agentIds.Count == 0)
        {
            return [];
        }

        return await _unit.ListAsync(
            _unit.Read(ClaimedBy).With("ws", _unit.WorkspaceId).With("ids", agentIds).With("limit", limit),
            TaskRows.Read,
            cancellationToken);
    }

    public async Task<IReadOnlyList<TaskNode>> GetAllNodesAsync(CancellationToken cancellationToken) =>
        await _unit.ListAsync(
            _unit.Read(AllNodes).With("ws", _unit.WorkspaceId),
            r => new TaskNode(r.GetString(0), Pg.StringOrNull(r, 1), Pg.StringOrNull(r, 2), WireNames.FromStore<TaskItemStatus>(r.GetString(3)), r.GetBoolean(4)),
            cancellationToken);
}
