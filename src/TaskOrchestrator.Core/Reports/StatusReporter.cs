using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Reports;

/// <summary>Builds a <see cref="StatusReport"/> from one consistent read.</summary>
public static class StatusReporter
{
    /// <summary>Reports on the whole workspace, or on one session when <paramref name="sessionId"/> is set.</summary>
    public static Task<StatusReport> ReportAsync(IOrchestratorStore store, string? sessionId, bool includeCompleted, int listLimit, CancellationToken cancellationToken) =>
        ReportAsync(store, new ReportScope(sessionId), includeCompleted, listLimit, cancellationToken);

    /// <summary>Reports on <paramref name="scope"/>; an unknown session or subtree root is <c>not_found</c>.</summary>
    public static async Task<StatusReport> ReportAsync(IOrchestratorStore store, ReportScope scope, bool includeCompleted, int listLimit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(scope);
        await using var unit = await store.BeginReadAsync(cancellationToken);
        await scope.EnsureExistsAsync(unit, cancellationToken);
        var within = new TaskQuery { SessionId = scope.SessionId, SubtreeOf = scope.SubtreeRootId, Limit = listLimit };

        IReadOnlyDictionary<TaskItemStatus, int> counts;
        IReadOnlyList<SpecialistStatusCount> bySpecialist;
        if (scope.SubtreeRootId is { } rootId)
        {
            var subtree = (await unit.Tasks.GetDescendantsAsync(rootId, cancellationToken)).Prepend((await unit.Tasks.GetAsync(rootId, cancellationToken))!).ToArray();
            counts = subtree.GroupBy(t => t.Status).ToDictionary(g => g.Key, g => g.Count());
            bySpecialist = [.. subtree.GroupBy(t => (t.SpecialistType, t.Status)).OrderBy(g => g.Key.SpecialistType, StringComparer.Ordinal).ThenBy(g => g.Key.Status)
                .Select(g => new SpecialistStatusCount(g.Key.SpecialistType, g.Key.Status, g.Count()))];
        }
        else
        {
            counts = await unit.Tasks.CountByStatusAsync(scope.SessionId, cancellationToken);
            bySpecialist = await unit.Tasks.CountBySpecialistAsync(scope.SessionId, cancellationToken);
        }

        var active = await unit.Tasks.QueryAsync(within with { Statuses = [TaskItemStatus.InProgress], Sort = TaskSort.UpdatedDesc }, cancellationToken);
        var ready = await unit.Tasks.QueryAsync(within with { ReadyOnly = true, Sort = TaskSort.Priority }, cancellationToken);
        var blocked = await unit.Tasks.QueryAsync(within with { Statuses = [TaskItemStatus.Blocked], Sort = TaskSort.UpdatedDesc }, cancellationToken);
        var waiting = await unit.Tasks.QueryAsync(within with { WaitingOnly = true, Sort = TaskSort.Priority }, cancellationToken);

        var waitingFor = waiting.Items.Count == 0
            ? Array.Empty<DependencyState>().ToLookup(d => d.TaskId)
            : (await unit.Dependencies.GetDependenciesAsync([.. waiting.Items.Select(t => t.Id)], cancellationToken))
                .Where(d => d.Kind == DependencyKind.Hard && !d.Satisfied)
                .ToLookup(d => d.TaskId);

        ListSlice<TaskRecord>? completed = null;
        if (includeCompleted)
        {
            var page = await unit.Tasks.QueryAsync(within with { Statuses = [TaskItemStatus.Completed], Sort = TaskSort.UpdatedDesc }, cancellationToken);
            completed = new ListSlice<TaskRecord>(page.Items, page.TotalCount);
        }

        return new StatusReport
        {
            Counts = counts,
            BySpecialist = bySpecialist,
            Active = new ListSlice<TaskRecord>(active.Items, active.TotalCount),
            Ready = new ListSlice<TaskRecord>(ready.Items, ready.TotalCount),
            Blocked = new ListSlice<TaskRecord>(blocked.Items, blocked.TotalCount),
            Waiting = new ListSlice<WaitingTask>([.. waiting.Items.Select(t => new WaitingTask(t, [.. waitingFor[t.Id]]))], waiting.TotalCount),
            RecentlyCompleted = completed,
        };
    }
}
