using System.Collections.Concurrent;
using System.Data.Common;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Storage.Relational;

/// <summary>
/// The task table's columns with the value each takes from a <see cref="TaskRecord"/>, and the statements
/// built from them in one backend's dialect: the insert of every column, the full update, and the update
/// of only the columns that changed. Writing only what changed keeps the database from rewriting the index
/// entries of unchanged columns, and leaves a column some other write changed meanwhile as that write left it.
/// </summary>
internal sealed class TaskColumns
{
    private static readonly Column[] All =
    [
        new("id", StoredType.Text, t => t.Id, Updatable: false),
        new("workspace_id", StoredType.Text, t => t.WorkspaceId, Updatable: false),
        new("session_id", StoredType.Text, t => t.SessionId),
        new("parent_id", StoredType.Text, t => t.ParentId),
        new("title", StoredType.Text, t => t.Title),
        new("description", StoredType.Text, t => t.Description),
        new("task_type", StoredType.Text, t => WireNames.Of(t.Type)),
        new("specialist_type", StoredType.Text, t => t.SpecialistType),
        new("complexity", StoredType.Text, t => WireNames.Of(t.Complexity)),
        new("complexity_rank", StoredType.Int32, t => (int)t.Complexity),
        new("priority", StoredType.Text, t => WireNames.Of(t.Priority)),
        new("priority_rank", StoredType.Int32, t => (int)t.Priority),
        new("status", StoredType.Text, t => WireNames.Of(t.Status)),
        new("version", StoredType.Int64, t => t.Version),
        new("context_json", StoredType.Text, t => t.ContextJson),
        new("estimated_effort", StoredType.Text, t => t.EstimatedEffort),
        new("due_at", StoredType.Int64, t => StoredValues.MsOrNull(t.DueAt)),
        new("created_at", StoredType.Int64, t => StoredValues.Ms(t.CreatedAt), Updatable: false),
        new("updated_at", StoredType.Int64, t => StoredValues.Ms(t.UpdatedAt)),
        new("started_at", StoredType.Int64, t => StoredValues.MsOrNull(t.StartedAt)),
        new("completed_at", StoredType.Int64, t => StoredValues.MsOrNull(t.CompletedAt)),
        new("assigned_agent", StoredType.Text, t => t.AssignedAgent),
        new("status_reason", StoredType.Text, t => t.StatusReason),
        new("result_summary", StoredType.Text, t => t.ResultSummary),
        new("holder_instance_id", StoredType.Text, t => t.HolderInstanceId),
        new("lease_expires_at", StoredType.Int64, t => StoredValues.MsOrNull(t.LeaseExpiresAt)),
        new("lease_token", StoredType.Text, t => t.LeaseToken),
        new("lease_fence", StoredType.Int64, t => t.LeaseFence),
        new("lease_seconds", StoredType.Int32, t => t.LeaseSeconds),
    ];

    private const int KeyColumns = 2;

    /// <summary>The set of every column an update may write.</summary>
    public static readonly int Updatable = UpdatableMask();

    private readonly SqlDialect _dialect;
    private readonly string[] _bound;
    private readonly string _where;

    // One statement text per set of changed columns; in practice a handful (a claim, a heartbeat, a completion, an edit).
    private readonly ConcurrentDictionary<int, string> _updates = new();

    public TaskColumns(SqlDialect dialect)
    {
        _dialect = dialect;
        _bound = [.. All.Select(c => dialect.BoundName(c.Name))];
        _where = $"WHERE id = {dialect.Parameter("id")} AND workspace_id = {dialect.Parameter("workspace_id")} AND version = {dialect.Parameter("expected")}";
        Insert = $"INSERT INTO task ({string.Join(", ", All.Select(c => c.Name))}) VALUES ({string.Join(", ", All.Select(c => dialect.Parameter(c.Name)))})";
    }

    /// <summary>The insert of every column, bound by <see cref="BindAll"/>.</summary>
    public string Insert { get; }

    /// <summary>
    /// The columns (bit i for column i) in which <paramref name="task"/> differs from <paramref name="stored"/>,
    /// the same task as read in this unit.
    /// </summary>
    public static int Changed(TaskRecord task, TaskRecord stored)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(stored);
        if (task.Id != stored.Id || task.WorkspaceId != stored.WorkspaceId)
        {
            throw new ArgumentException($"Task '{task.Id}' cannot be written over the stored task '{stored.Id}'.", nameof(stored));
        }

        int changed = 0;
        for (int i = 0; i < All.Length; i++)
        {
            if (All[i].Updatable && !Equals(All[i].Value(task), All[i].Value(stored)))
            {
                changed |= 1 << i;
            }
        }

        return changed;
    }

    /// <summary>The names of the columns in <paramref name="changed"/>, in table order.</summary>
    public static IReadOnlyList<string> Names(int changed) =>
        [.. Enumerable.Range(0, All.Length).Where(i => (changed & (1 << i)) != 0).Select(i => All[i].Name)];

    /// <summary>The error for a guarded update that wrote no row: <paramref name="currentVersion"/> is the stored version, or null when the task is gone.</summary>
    public static OrchestratorException UpdateFailed(string taskId, long expectedVersion, long? currentVersion) =>
        currentVersion is { } current ? Fail.VersionConflict(taskId, expectedVersion, current) : Fail.NotFound("task_id", "task", taskId);

    /// <summary>
    /// The update of the <paramref name="changed"/> columns, guarded by the version bound as <c>expected</c>.
    /// A write that changes nothing still checks the version.
    /// </summary>
    public string Update(int changed) => _updates.GetOrAdd(changed, UpdateText);

    /// <summary>Binds every column of <paramref name="task"/>, for <see cref="Insert"/> or the update of <see cref="Updatable"/>.</summary>
    public void BindAll(DbCommand command, TaskRecord task)
    {
        for (int i = 0; i < All.Length; i++)
        {
            _dialect.Bind(command, _bound[i], All[i].Value(task), All[i].Type);
        }
    }

    /// <summary>Binds what <see cref="Update"/> of <paramref name="changed"/> reads: those columns, the key and the expected version.</summary>
    public void BindUpdate(DbCommand command, TaskRecord task, int changed, long expectedVersion)
    {
        for (int i = 0; i < All.Length; i++)
        {
            // The key (id, workspace_id, the first two columns) is never updated but always bound for the WHERE.
            if ((changed & (1 << i)) != 0 || i < KeyColumns)
            {
                _dialect.Bind(command, _bound[i], All[i].Value(task), All[i].Type);
            }
        }

        _dialect.Bind(command, _dialect.BoundName("expected"), expectedVersion, StoredType.Int64);
    }

    private string UpdateText(int changed)
    {
        var assignments = changed == 0
            ? ["version = version"]
            : Enumerable.Range(0, All.Length).Where(i => (changed & (1 << i)) != 0).Select(i => $"{All[i].Name} = {_dialect.Parameter(All[i].Name)}");
        return $"UPDATE task SET {string.Join(", ", assignments)} {_where}";
    }

    private static int UpdatableMask()
    {
        int mask = 0;
        for (int i = 0; i < All.Length; i++)
        {
            mask |= All[i].Updatable ? 1 << i : 0;
        }

        return mask;
    }

    private sealed record Column(string Name, StoredType Type, Func<TaskRecord, object?> Value, bool Updatable = true);
}
