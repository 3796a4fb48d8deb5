using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Reports;

/// <summary>Builds a <see cref="StatusReport"/> from one consistent read.</summary>
public static class StatusReporter
{
    /// <summary>Reports on the whole workspace, or on one session when <paramref name="sessionId"/> is set.</summary>
    public static async Task<StatusReport> ReportAsync(IOrchestratorStore store, string? sessionId, bool includeCompleted, int listLimit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var unit = await store.BeginReadAsync(cancellationToken);
        var scope = new TaskQuery { SessionId = sessionId, Limit = listLimit };

        var counts = await unit.Tasks.CountByStatusAsync(sessionId, cancellationToken);
        var bySpecialist = await unit.Tasks.CountBySpecialistAsync(sessionId, cancellationToken);
        var active = await unit.Tasks.QueryAsync(scope with { Statuses = [TaskItemStatus.InProgress], Sort = TaskSort.UpdatedDesc }, cancellationToken);
        var ready = await unit.Tasks.QueryAsync(scope with { ReadyOnly = true, Sort = TaskSort.Priority }, cancellationToken);
        var blocked = await unit.Tasks.QueryAsync(scope with { Statuses = [TaskItemStatus.Blocked], Sort = TaskSort.UpdatedDesc }, cancellationToken);
        var waiting = await unit.Tasks.QueryAsync(scope with { WaitingOnly = true, Sort = TaskSort.Priority }, cancellationToken);

        var waitingFor = waiting.Items.Count == 0
            ? Array.Empty<DependencyState>().ToLookup(d => d.TaskId)
            : (await unit.Dependencies.GetDependenciesAsync([.. waiting.Items.Select(t => t.Id)], cancellationToken))
                .Where(d => d.Kind == DependencyKind.Hard && !d.Satisfied)
                .ToLookup(d => d.TaskId);

        ListSlice<TaskRecord>? completed = null;
        if (includeCompleted)
        {
            var page = await unit.Tasks.QueryAsync(scope with { Statuses = [TaskItemStatus.Completed], Sort = TaskSort.UpdatedDesc }, cancellationToken);
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
