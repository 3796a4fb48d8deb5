using TaskOrchestrator.Core.Storage.Relational;
using TaskOrchestrator.Core.Tasks.Claims;

namespace TaskOrchestrator.Storage.Sqlite.Stores;

/// <summary>
/// The statement that finds the tasks to claim next, one text per shape of filter (eight in all), so
/// that each stays prepared on its connection instead of being built for every claim.
/// </summary>
internal static class ClaimableSql
{
    private static readonly string[] Texts = [.. Enumerable.Range(0, 8).Select(Build)];

    public static string For(ClaimFilter filter) =>
        Texts[(filter.SpecialistTypes.Count > 0 ? 1 : 0) | (filter.TaskTypes.Count > 0 ? 2 : 0) | (filter.WithinTaskId is not null ? 4 : 0)];

    // The hand-out order is the order of ix_task_status_order, so the scan stops at the first pending
    // tasks that are ready; the unary + keeps the filters from steering the plan elsewhere.
    private static string Build(int shape)
    {
        bool specialists = (shape & 1) != 0, types = (shape & 2) != 0, within = (shape & 4) != 0;
        return (within ? "WITH RECURSIVE subtree(id) AS (SELECT id FROM task WHERE parent_id = $within UNION ALL SELECT c.id FROM task c JOIN subtree s ON c.parent_id = s.id) " : string.Empty)
            + $"SELECT {TaskRows.Columns} FROM task t WHERE t.workspace_id = $ws AND t.status = 'pending'"
            + (specialists ? " AND +t.specialist_type IN (SELECT value FROM json_each($specialists))" : string.Empty)
            + (types ? " AND +t.task_type IN (SELECT value FROM json_each($types))" : string.Empty)
            + (within ? " AND t.id IN (SELECT id FROM subtree)" : string.Empty)
            + $" AND NOT EXISTS (SELECT 1 FROM dependency d JOIN task dt ON dt.id = d.depends_on_id WHERE d.task_id = t.id AND d.kind = 'hard' AND NOT {TaskRows.Satisfied("dt")})"
            + " AND NOT EXISTS (SELECT 1 FROM task c WHERE c.parent_id = t.id AND c.status IN ('pending', 'in_progress', 'blocked'))"
            + " ORDER BY t.priority_rank DESC, t.complexity_rank, t.seq LIMIT $limit";
    }
}
