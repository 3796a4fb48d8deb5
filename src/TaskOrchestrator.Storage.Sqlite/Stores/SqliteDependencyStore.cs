using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Storage.Sqlite.Stores;

/// <summary>Dependency edges in SQLite.</summary>
internal sealed class SqliteDependencyStore : IDependencyStore
{
    private const string Upsert = """
        INSERT INTO dependency (workspace_id, task_id, depends_on_id, kind, created_at)
        VALUES ($ws, $task, $dep, $kind, $at)
        ON CONFLICT (task_id, depends_on_id) DO UPDATE SET kind = excluded.kind
        """;

    private const string WithState = $"""
        SELECT d.task_id, d.depends_on_id, d.kind, dt.title, dt.status, {TaskRowsSatisfied}
        FROM dependency d JOIN task dt ON dt.id = d.depends_on_id
        WHERE d.workspace_id = $ws AND d.task_id IN (SELECT value FROM json_each($ids))
        ORDER BY d.task_id, d.created_at, d.depends_on_id
        """;

    private const string TaskRowsSatisfied = "(dt.status = 'completed' OR (dt.status = 'archived' AND dt.completed_at IS NOT NULL))";

    // Every (node, predecessor) pair reachable along depends-on edges. UNION de-duplicates pairs, so the
    // walk is linear in the edges reached even where paths branch and rejoin.
    private const string Walk = """
        WITH RECURSIVE walk(id, via) AS (
            SELECT $from, NULL
            UNION
            SELECT d.depends_on_id, d.task_id FROM dependency d JOIN walk w ON d.task_id = w.id
        )
        SELECT id, via FROM walk
        """;

    private readonly SqliteStoreUnit _unit;

    public SqliteDependencyStore(SqliteStoreUnit unit)
    {
        _unit = unit;
    }

    public Task AddAsync(TaskDependency dependency, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _unit.Write(Upsert)
            .With("$ws", _unit.WorkspaceId).With("$task", dependency.TaskId).With("$dep", dependency.DependsOnId)
            .With("$kind", WireNames.Of(dependency.Kind)).With("$at", Sql.Ms(_unit.Time.GetUtcNow()))
            .ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task<bool> RemoveAsync(string taskId, string dependsOnId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int rows = _unit.Write("DELETE FROM dependency WHERE workspace_id = $ws AND task_id = $task AND depends_on_id = $dep")
            .With("$ws", _unit.WorkspaceId).With("$task", taskId).With("$dep", dependsOnId)
            .ExecuteNonQuery();
        return Task.FromResult(rows > 0);
    }

    public Task<IReadOnlyList<DependencyState>> GetDependenciesAsync(IReadOnlyCollection<string> taskIds, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var states = new List<DependencyState>();
        if (taskIds.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<DependencyState>>(states);
        }

        using var reader = _unit.Read(WithState).With("$ws", _unit.WorkspaceId).With("$ids", Sql.JsonList(taskIds)).ExecuteReader();
        while (reader.Read())
        {
            states.Add(new DependencyState(
                reader.GetString(0),
                reader.GetString(1),
                WireNames.FromStore<DependencyKind>(reader.GetString(2)),
                reader.GetString(3),
                WireNames.FromStore<TaskItemStatus>(reader.GetString(4)),
                reader.GetBoolean(5)));
        }

        return Task.FromResult<IReadOnlyList<DependencyState>>(states);
    }

    public Task<IReadOnlyList<TaskDependency>> GetDependentsAsync(IReadOnlyCollection<string> taskIds, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (taskIds.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<TaskDependency>>([]);
        }

        var command = _unit.Read("SELECT task_id, depends_on_id, kind FROM dependency WHERE workspace_id = $ws AND depends_on_id IN (SELECT value FROM json_each($ids)) ORDER BY task_id, depends_on_id")
            .With("$ws", _unit.WorkspaceId).With("$ids", Sql.JsonList(taskIds));
        return Task.FromResult<IReadOnlyList<TaskDependency>>(ReadEdges(command));
    }

    public Task<IReadOnlyList<string>?> FindPathAsync(string fromTaskId, string toTaskId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var predecessor = new Dictionary<string, string?>(StringComparer.Ordinal);
        using (var reader = _unit.Read(Walk).With("$from", fromTaskId).ExecuteReader())
        {
            while (reader.Read())
            {
                predecessor.TryAdd(reader.GetString(0), Sql.StringOrNull(reader, 1));
            }
        }

        if (!predecessor.ContainsKey(toTaskId))
        {
            return Task.FromResult<IReadOnlyList<string>?>(null);
        }

        var path = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (string? current = toTaskId; current is not null && seen.Add(current); current = predecessor.GetValueOrDefault(current))
        {
            path.Add(current);
        }

        path.Reverse();
        return Task.FromResult<IReadOnlyList<string>?>(path);
    }

    public Task<IReadOnlyList<TaskDependency>> GetAllAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _unit.Read("SELECT task_id, depends_on_id, kind FROM dependency WHERE workspace_id = $ws ORDER BY task_id, depends_on_id").With("$ws", _unit.WorkspaceId);
        return Task.FromResult<IReadOnlyList<TaskDependency>>(ReadEdges(command));
    }

    private static List<TaskDependency> ReadEdges(Microsoft.Data.Sqlite.SqliteCommand command)
    {
        var edges = new List<TaskDependency>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            edges.Add(new TaskDependency(reader.GetString(0), reader.GetString(1), WireNames.FromStore<DependencyKind>(reader.GetString(2))));
        }

        return edges;
    }
}
