using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Storage.Relational;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Claims;

namespace TaskOrchestrator.Storage.Sqlite.Stores;

/// <summary>Tasks in SQLite. The driver is synchronous; methods complete before they return.</summary>
internal sealed class SqliteTaskStore : ITaskStore
{
    // Lookups by a list of ids or parents say "+t.workspace_id": the unary plus keeps the
    // planner from scanning the workspace through an index that leads with workspace_id (it estimates
    // json_each's list as large) instead of seeking each id in the index made for it.
    private const string ById = "+t.workspace_id = $ws AND t.id IN (SELECT value FROM json_each($ids))";

    private const string SelectById = $"SELECT {TaskRows.Columns} FROM task t WHERE t.id = $id AND t.workspace_id = $ws";

    private const string Descendants = $"""
        WITH RECURSIVE subtree(id) AS (
            SELECT id FROM task WHERE parent_id = $root
            UNION ALL
            SELECT t.id FROM task t JOIN subtree s ON t.parent_id = s.id
        )
        SELECT {TaskRows.Columns} FROM task t WHERE t.id IN (SELECT id FROM subtree) AND t.workspace_id = $ws ORDER BY t.seq
        """;

    private const string Orphans = $"""
        SELECT {TaskRows.Columns} FROM task t LEFT JOIN task p ON p.id = t.parent_id
        WHERE t.workspace_id = $ws AND t.parent_id IS NOT NULL AND t.status IN ('pending', 'in_progress', 'blocked')
          AND (p.id IS NULL OR p.status IN ('cancelled', 'archived'))
        ORDER BY t.seq LIMIT $limit
        """;

    private const string Stale = $"""
        SELECT {TaskRows.Columns} FROM task t
        WHERE t.workspace_id = $ws AND t.status = 'in_progress' AND t.updated_at < $before
        ORDER BY t.updated_at LIMIT $limit
        """;

    private static readonly TaskColumns Columns = new(SqliteDialect.Instance);

    private readonly SqliteStoreUnit _unit;

    public SqliteTaskStore(SqliteStoreUnit unit)
    {
        _unit = unit;
    }

    public Task<TaskRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_unit.Read(SelectById).With("$id", id).With("$ws", _unit.WorkspaceId).ReadFirst(TaskRows.Read));
    }

    public Task<IReadOnlyList<TaskRecord>> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (ids.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<TaskRecord>>([]);
        }

        var command = _unit.Read($"SELECT {TaskRows.Columns} FROM task t WHERE {ById}");
        command.With("$ws", _unit.WorkspaceId).With("$ids", Sql.JsonList(ids));
        return Task.FromResult<IReadOnlyList<TaskRecord>>(command.ReadAll(TaskRows.Read));
    }

    public Task InsertAsync(TaskRecord task, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _unit.Write(Columns.Insert);
        Columns.BindAll(command, task);
        command.ExecuteNonQuery();
        _unit.TaskInserted();
        return Task.CompletedTask;
    }

    public Task UpdateAsync(TaskRecord task, long expectedVersion, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(task);
        return Update(task, TaskColumns.Updatable, expectedVersion);
    }

    public Task UpdateAsync(TaskRecord task, TaskRecord stored, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Update(task, TaskColumns.Changed(task, stored), stored.Version);
    }

    // One row written: done. None: the task is gone or its version moved on.
    private Task Update(TaskRecord task, int changed, long expectedVersion)
    {
        var command = _unit.Write(Columns.Update(changed));
        Columns.BindUpdate(command, task, changed, expectedVersion);
        if (command.ExecuteNonQuery() == 1)
        {
            return Task.CompletedTask;
        }

        var current = _unit.Read("SELECT version FROM task WHERE id = $id AND workspace_id = $ws").With("$id", task.Id).With("$ws", _unit.WorkspaceId).ExecuteScalar();
        throw TaskColumns.UpdateFailed(task.Id, expectedVersion, (long?)current);
    }

    public Task DeleteAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (ids.Count > 0)
        {
            // One statement for the whole set: SQLite checks the parent foreign key at the end of the
            // statement, so a subtree may be deleted in any order. Artifacts and edges cascade.
            _unit.Write("DELETE FROM task WHERE +workspace_id = $ws AND id IN (SELECT value FROM json_each($ids))")
                .With("$ws", _unit.WorkspaceId).With("$ids", Sql.JsonList(ids))
                .ExecuteNonQuery();
        }

        return Task.CompletedTask;
    }

    public Task<TaskPage> QueryAsync(TaskQuery query, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(new SqliteTaskQuery(_unit, query).Run());
    }

    public Task<IReadOnlyList<TaskRecord>> GetChildrenAsync(IReadOnlyCollection<string> parentIds, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (parentIds.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<TaskRecord>>([]);
        }

        var command = _unit.Read($"SELECT {TaskRows.Columns} FROM task t WHERE t.parent_id IN (SELECT value FROM json_each($ids)) AND +t.workspace_id = $ws ORDER BY t.seq");
        command.With("$ws", _unit.WorkspaceId).With("$ids", Sql.JsonList(parentIds));
        return Task.FromResult<IReadOnlyList<TaskRecord>>(command.ReadAll(TaskRows.Read));
    }

    public Task<IReadOnlyList<TaskRecord>> GetDescendantsAsync(string rootId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _unit.Read(Descendants).With("$root", rootId).With("$ws", _unit.WorkspaceId);
        return Task.FromResult<IReadOnlyList<TaskRecord>>(command.ReadAll(TaskRows.Read));
    }

    public Task<(int Pending, int InProgress)> CountOpenWorkAsync(int cap, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cap);
        cancellationToken.ThrowIfCancellationRequested();
        using var reader = _unit.Read(
            "SELECT (SELECT count(*) FROM (SELECT 1 FROM task WHERE workspace_id = $ws AND status = 'pending' LIMIT $cap)),"
            + " (SELECT count(*) FROM (SELECT 1 FROM task WHERE workspace_id = $ws AND status = 'in_progress' LIMIT $cap))")
            .With("$ws", _unit.WorkspaceId).With("$cap", cap)
            .ExecuteReader();
        reader.Read();
        return Task.FromResult((reader.GetInt32(0), reader.GetInt32(1)));
    }

    public Task<IReadOnlyDictionary<TaskItemStatus, int>> CountByStatusAsync(string? sessionId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = sessionId is null
            ? _unit.Read("SELECT status, count(*) FROM task WHERE workspace_id = $ws GROUP BY status")
            : _unit.Read("SELECT status, count(*) FROM task WHERE workspace_id = $ws AND session_id = $s GROUP BY status").With("$s", sessionId);
        command.With("$ws", _unit.WorkspaceId);
        var counts = new Dictionary<TaskItemStatus, int>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            counts[WireNames.FromStore<TaskItemStatus>(reader.GetString(0))] = reader.GetInt32(1);
        }

        return Task.FromResult<IReadOnlyDictionary<TaskItemStatus, int>>(counts);
    }

    public Task<IReadOnlyList<SpecialistStatusCount>> CountBySpecialistAsync(string? sessionId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = sessionId is null
            ? _unit.Read("SELECT specialist_type, status, count(*) FROM task WHERE workspace_id = $ws GROUP BY specialist_type, status ORDER BY specialist_type, status")
            : _unit.Read("SELECT specialist_type, status, count(*) FROM task WHERE workspace_id = $ws AND session_id = $s GROUP BY specialist_type, status ORDER BY specialist_type, status").With("$s", sessionId);
        command.With("$ws", _unit.WorkspaceId);
        var counts = new List<SpecialistStatusCount>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            counts.Add(new SpecialistStatusCount(reader.GetString(0), WireNames.FromStore<TaskItemStatus>(reader.GetString(1)), reader.GetInt32(2)));
        }

        return Task.FromResult<IReadOnlyList<SpecialistStatusCount>>(counts);
    }

    public Task<IReadOnlyList<TaskRecord>> GetOrphansAsync(int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _unit.Read(Orphans).With("$ws", _unit.WorkspaceId).With("$limit", limit);
        return Task.FromResult<IReadOnlyList<TaskRecord>>(command.ReadAll(TaskRows.Read));
    }

    public Task<IReadOnlyList<TaskRecord>> GetStaleInProgressAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _unit.Read(Stale).With("$ws", _unit.WorkspaceId).With("$before", Sql.Ms(updatedBefore)).With("$limit", limit);
        return Task.FromResult<IReadOnlyList<TaskRecord>>(command.ReadAll(TaskRows.Read));
    }

    public Task<IReadOnlyList<TaskRecord>> FindClaimableAsync(ClaimFilter filter, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var command = _unit.Read(ClaimableSql.For(filter)).With("$ws", _unit.WorkspaceId).With("$limit", limit);
        if (filter.SpecialistTypes.Count > 0)
        {
            command.With("$specialists", System.Text.Json.JsonSerializer.Serialize(filter.SpecialistTypes.ToArray(), SqliteJson.Default.StringArray));
        }

        if (filter.TaskTypes.Count > 0)
        {
            command.With("$types", System.Text.Json.JsonSerializer.Serialize(filter.TaskTypes.Select(WireNames.Of).ToArray(), SqliteJson.Default.StringArray));
        }

        if (filter.WithinTaskId is not null)
        {
            command.With("$within", filter.WithinTaskId);
        }

        return Task.FromResult<IReadOnlyList<TaskRecord>>(command.ReadAll(TaskRows.Read));
    }

    public Task<IReadOnlyList<TaskRecord>> GetExpiredLeasesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _unit.Read($"SELECT {TaskRows.Columns} FROM task t WHERE t.workspace_id = $ws AND t.lease_expires_at < $now AND t.status = 'in_progress' ORDER BY t.lease_expires_at LIMIT $limit")
            .With("$ws", _unit.WorkspaceId).With("$now", Sql.Ms(now)).With("$limit", limit);
        return Task.FromResult<IReadOnlyList<TaskRecord>>(command.ReadAll(TaskRows.Read));
    }

    // Holders and claims have no index of their own (migration 0006): they are read from the tasks in
    // progress, which the (workspace_id, status) prefix of the status indexes finds.
    public Task<IReadOnlyList<string>> GetHolderInstanceIdsAsync(int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _unit.Read("SELECT DISTINCT t.holder_instance_id FROM task t WHERE t.workspace_id = $ws AND t.status = 'in_progress' AND t.holder_instance_id IS NOT NULL LIMIT $limit")
            .With("$ws", _unit.WorkspaceId).With("$limit", limit);
        var ids = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return Task.FromResult<IReadOnlyList<string>>(ids);
    }

    public Task<IReadOnlyList<TaskRecord>> GetHeldByAsync(IReadOnlyCollection<string> instanceIds, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (instanceIds.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<TaskRecord>>([]);
        }

        var command = _unit.Read($"SELECT {TaskRows.Columns} FROM task t WHERE t.workspace_id = $ws AND t.status = 'in_progress' AND t.holder_instance_id IN (SELECT value FROM json_each($ids)) ORDER BY t.seq LIMIT $limit")
            .With("$ws", _unit.WorkspaceId).With("$ids", Sql.JsonList(instanceIds)).With("$limit", limit);
        return Task.FromResult<IReadOnlyList<TaskRecord>>(command.ReadAll(TaskRows.Read));
    }

    public Task<IReadOnlyList<TaskRecord>> GetClaimedByAsync(IReadOnlyCollection<string> agentIds, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (agentIds.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<TaskRecord>>([]);
        }

        var command = _unit.Read($"SELECT {TaskRows.Columns} FROM task t WHERE t.workspace_id = $ws AND t.assigned_agent IN (SELECT value FROM json_each($ids)) AND t.lease_token IS NOT NULL AND t.status = 'in_progress' ORDER BY t.assigned_agent, t.lease_expires_at, t.id LIMIT $limit")
            .With("$ws", _unit.WorkspaceId).With("$ids", Sql.JsonList(agentIds)).With("$limit", limit);
        return Task.FromResult<IReadOnlyList<TaskRecord>>(command.ReadAll(TaskRows.Read));
    }

    public Task<IReadOnlyList<TaskNode>> GetAllNodesAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var nodes = new List<TaskNode>();
        using var reader = _unit.Read($"SELECT t.id, t.parent_id, t.session_id, t.status, {TaskRows.Satisfied("t")} FROM task t WHERE t.workspace_id = $ws ORDER BY t.seq")
            .With("$ws", _unit.WorkspaceId).ExecuteReader();
        while (reader.Read())
        {
            nodes.Add(new TaskNode(reader.GetString(0), Sql.StringOrNull(reader, 1), Sql.StringOrNull(reader, 2), WireNames.FromStore<TaskItemStatus>(reader.GetString(3)), reader.GetBoolean(4)));
        }

        return Task.FromResult<IReadOnlyList<TaskNode>>(nodes);
    }
}
