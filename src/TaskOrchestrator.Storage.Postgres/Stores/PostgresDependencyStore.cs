using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Storage.Postgres.Stores;

/// <summary>Dependency edges in PostgreSQL.</summary>
internal sealed class PostgresDependencyStore : IDependencyStore
{
    private const string Upsert = """
        INSERT INTO dependency (workspace_id, task_id, depends_on_id, kind, created_at)
        VALUES (@ws, @task, @dep, @kind, @at)
        ON CONFLICT (workspace_id, task_id, depends_on_id) DO UPDATE SET kind = excluded.kind
        """;

    private const string Remove = "DELETE FROM dependency WHERE workspace_id = @ws AND task_id = @task AND depends_on_id = @dep";

    private const string WithState = """
        SELECT d.task_id, d.depends_on_id, d.kind, dt.title, dt.status,
            (dt.status = 'completed' OR (dt.status = 'archived' AND dt.completed_at IS NOT NULL))
        FROM dependency d JOIN task dt ON dt.workspace_id = d.workspace_id AND dt.id = d.depends_on_id
        WHERE d.workspace_id = @ws AND d.task_id = ANY(@ids)
        ORDER BY d.task_id COLLATE "C", d.created_at, d.depends_on_id COLLATE "C"
        """;

    private const string Dependents = """
        SELECT task_id, depends_on_id, kind FROM dependency WHERE workspace_id = @ws AND depends_on_id = ANY(@ids)
        ORDER BY task_id COLLATE "C", depends_on_id COLLATE "C"
        """;

    private const string All = """
        SELECT task_id, depends_on_id, kind FROM dependency WHERE workspace_id = @ws ORDER BY task_id COLLATE "C", depends_on_id COLLATE "C"
        """;

    // Every (node, predecessor) pair reachable along depends-on edges. UNION de-duplicates pairs, so the
    // walk is linear in the edges reached even where paths branch and rejoin.
    private const string Walk = """
        WITH RECURSIVE walk(id, via) AS (
            SELECT @from::text, NULL::text
            UNION
            SELECT d.depends_on_id, d.task_id FROM dependency d JOIN walk w ON d.workspace_id = @ws AND d.task_id = w.id
        )
        SELECT id, via FROM walk
        """;

    private readonly PostgresStoreUnit _unit;

    public PostgresDependencyStore(PostgresStoreUnit unit)
    {
        _unit = unit;
    }

    public Task AddAsync(TaskDependency dependency, CancellationToken cancellationToken) =>
        _unit.ExecuteAsync(
            _unit.Write(Upsert)
                .With("ws", _unit.WorkspaceId).With("task", dependency.TaskId).With("dep", dependency.DependsOnId)
                .With("kind", WireNames.Of(dependency.Kind)).With("at", Pg.Ms(_unit.Time.GetUtcNow())),
            cancellationToken);

    public async Task<bool> RemoveAsync(string taskId, string dependsOnId, CancellationToken cancellationToken) =>
        await _unit.ExecuteAsync(_unit.Write(Remove).With("ws", _unit.WorkspaceId).With("task", taskId).With("dep", dependsOnId), cancellationToken) > 0;

    public async Task<IReadOnlyList<DependencyState>> GetDependenciesAsync(IReadOnlyCollection<string> taskIds, CancellationToken cancellationToken)
    {
        if (taskIds.Count == 0)
        {
            return [];
        }

        return await _unit.ListAsync(
            _unit.Read(WithState).With("ws", _unit.WorkspaceId).With("ids", taskIds),
            r => new DependencyState(
                r.GetString(0),
                r.GetString(1),
                WireNames.FromStore<DependencyKind>(r.GetString(2)),
                r.GetString(3),
                WireNames.FromStore<TaskItemStatus>(r.GetString(4)),
                r.GetBoolean(5)),
            cancellationToken);
    }

    public async Task<IReadOnlyList<TaskDependency>> GetDependentsAsync(IReadOnlyCollection<string> taskIds, CancellationToken cancellationToken)
    {
        if (taskIds.Count == 0)
        {
            return [];
        }

        return await _unit.ListAsync(_unit.Read(Dependents).With("ws", _unit.WorkspaceId).With("ids", taskIds), ReadEdge, cancellationToken);
    }

    public async Task<IReadOnlyList<string>?> FindPathAsync(string fromTaskId, string toTaskId, CancellationToken cancellationToken)
    {
        var pairs = await _unit.ListAsync(
            _unit.Read(Walk).With("ws", _unit.WorkspaceId).With("from", fromTaskId),
            r => (Id: r.GetString(0), Via: Pg.StringOrNull(r, 1)),
            cancellationToken);
        var predecessor = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (id, via) in pairs)
        {
            predecessor.TryAdd(id, via);
        }

        if (!predecessor.ContainsKey(toTaskId))
        {
            return null;
        }

        var path = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (string? current = toTaskId; current is not null && seen.Add(current); current = predecessor.GetValueOrDefault(current))
        {
            path.Add(current);
        }

        path.Reverse();
        return path;
    }

    public async Task<IReadOnlyList<TaskDependency>> GetAllAsync(CancellationToken cancellationToken) =>
        await _unit.ListAsync(_unit.Read(All).With("ws", _unit.WorkspaceId), ReadEdge, cancellationToken);

    private static TaskDependency ReadEdge(Npgsql.NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), WireNames.FromStore<DependencyKind>(r.GetString(2)));
}
