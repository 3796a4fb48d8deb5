using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Storage.Sqlite.Stores;

/// <summary>
/// The task table's columns with the value each takes from a <see cref="TaskRecord"/>: one list for
/// binding an insert, a full update and an update of only the columns that changed.
/// </summary>
internal static class TaskColumns
{
    private static readonly Column[] All =
    [
        new("id", t => t.Id, Updatable: false),
        new("workspace_id", t => t.WorkspaceId, Updatable: false),
        new("session_id", t => t.SessionId),
        new("parent_id", t => t.ParentId),
        new("title", t => t.Title),
        new("description", t => t.Description),
        new("task_type", t => WireNames.Of(t.Type)),
        new("specialist_type", t => t.SpecialistType),
        new("complexity", t => WireNames.Of(t.Complexity)),
        new("complexity_rank", t => (int)t.Complexity),
        new("priority", t => WireNames.Of(t.Priority)),
        new("priority_rank", t => (int)t.Priority),
        new("status", t => WireNames.Of(t.Status)),
        new("version", t => t.Version),
        new("context_json", t => t.ContextJson),
        new("estimated_effort", t => t.EstimatedEffort),
        new("due_at", t => Sql.MsOrNull(t.DueAt)),
        new("created_at", t => Sql.Ms(t.CreatedAt), Updatable: false),
        new("updated_at", t => Sql.Ms(t.UpdatedAt)),
        new("started_at", t => Sql.MsOrNull(t.StartedAt)),
        new("completed_at", t => Sql.MsOrNull(t.CompletedAt)),
        new("assigned_agent", t => t.AssignedAgent),
        new("status_reason", t => t.StatusReason),
        new("result_summary", t => t.ResultSummary),
        new("holder_instance_id", t => t.HolderInstanceId),
        new("lease_expires_at", t => Sql.MsOrNull(t.LeaseExpiresAt)),
        new("lease_token", t => t.LeaseToken),
        new("lease_fence", t => t.LeaseFence),
        new("lease_seconds", t => t.LeaseSeconds),
    ];

    private static readonly int Updatable = Enumerable.Range(0, All.Length).Where(i => All[i].Updatable).Aggregate(0, (mask, i) => mask | (1 << i));

    // One statement text per set of changed columns; in practice a handful (a claim, a heartbeat, a completion, an edit).
    private static readonly ConcurrentDictionary<int, string> UpdateTexts = new();

    /// <summary>The insert of every column.</summary>
    public static readonly string Insert =
        $"INSERT INTO task ({string.Join(", ", All.Select(c => c.Name))}) VALUES ({string.Join(", ", All.Select(c => c.Parameter))})";

    /// <summary>Binds every column of <paramref name="task"/> as <c>$name</c> parameters.</summary>
    public static SqliteCommand BindAll(this SqliteCommand command, TaskRecord task)
    {
        foreach (var column in All)
        {
            command.With(column.Parameter, column.Value(task));
        }

        return command;
    }

    /// <summary>
    /// The update of the columns in which <paramref name="task"/> differs from <paramref name="stored"/>
    /// (guarded by the stored version, bound as <c>$expected</c>), with those columns bound. Writing only
    /// what changed keeps SQLite from rewriting the index entries of unchanged columns.
    /// </summary>
    public static SqliteCommand BindChanged(Func<string, SqliteCommand> prepare, TaskRecord task, TaskRecord stored)
    {
        int changed = 0;
        var values = new object?[All.Length];
        for (int i = 0; i < All.Length; i++)
        {
            values[i] = All[i].Value(task);
            if (All[i].Updatable && !Equals(values[i], All[i].Value(stored)))
            {
                changed |= 1 << i;
            }
        }

        var command = prepare(UpdateTexts.GetOrAdd(changed, UpdateText));
        for (int i = 0; i < All.Length; i++)
        {
            if ((changed & (1 << i)) != 0)
            {
                command.With(All[i].Parameter, values[i]);
            }
        }

        return command.With("$id", task.Id).With("$workspace_id", task.WorkspaceId).With("$expected", stored.Version);
    }

    /// <summary>The update of every updatable column of <paramref name="task"/>, guarded by <paramref name="expectedVersion"/>.</summary>
    public static SqliteCommand BindFull(Func<string, SqliteCommand> prepare, TaskRecord task, long expectedVersion)
    {
        var command = prepare(UpdateTexts.GetOrAdd(Updatable, UpdateText));
        foreach (var column in All)
        {
            command.With(column.Parameter, column.Value(task));
        }

        return command.With("$expected", expectedVersion);
    }

    private static string UpdateText(int changed)
    {
        // A write that changes nothing still checks the version.
        var assignments = changed == 0
            ? ["version = version"]
            : Enumerable.Range(0, All.Length).Where(i => (changed & (1 << i)) != 0).Select(i => $"{All[i].Name} = {All[i].Parameter}");
        return $"UPDATE task SET {string.Join(", ", assignments)} WHERE id = $id AND workspace_id = $workspace_id AND version = $expected";
    }

    private sealed record Column(string Name, Func<TaskRecord, object?> Value, bool Updatable = true)
    {
        public string Parameter { get; } = "$" + Name;
    }
}
