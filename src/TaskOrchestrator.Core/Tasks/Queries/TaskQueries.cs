using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Core.Tasks.Queries;

/// <summary>Reads pages of tasks with their dependencies and, on request, children and artifacts.</summary>
public static class TaskQueries
{
    /// <summary>
    /// Runs <paramref name="query"/> in one consistent read. A parent or session filter naming nothing
    /// is <c>not_found</c>, so that a typo is not mistaken for an empty result.
    /// </summary>
    public static async Task<TaskListing> ListAsync(IOrchestratorStore store, TaskQuery query, bool includeChildren, bool includeArtifacts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(query);
        if (query.SearchText is not null)
        {
            await store.PrepareSearchAsync(cancellationToken);
        }

        await using var unit = await store.BeginReadAsync(cancellationToken);
        if (query.ParentId is not null && await unit.Tasks.GetAsync(query.ParentId, cancellationToken) is null)
        {
            throw Fail.NotFound("parent_task_id", "task", query.ParentId);
        }

        if (query.SessionId is not null && await unit.Sessions.GetAsync(query.SessionId, cancellationToken) is null)
        {
            throw Fail.NotFound("session_id", "session", query.SessionId, "List the sessions of this workspace with orchestrator_list_sessions.");
        }

        var page = await unit.Tasks.QueryAsync(query, cancellationToken);
        var ids = page.Items.Select(t => t.Id).ToArray();
        if (ids.Length == 0)
        {
            return new TaskListing(page, Array.Empty<DependencyState>().ToLookup(d => d.TaskId), null, null);
        }

        var dependencies = (await unit.Dependencies.GetDependenciesAsync(ids, cancellationToken)).ToLookup(d => d.TaskId);
        var children = includeChildren
            ? (await unit.Tasks.GetChildrenAsync(ids, cancellationToken)).ToLookup(c => c.ParentId!)
            : null;
        var artifacts = includeArtifacts
            ? (await unit.Artifacts.GetForTasksAsync(ids, includeContent: false, cancellationToken)).ToLookup(a => a.TaskId)
            : null;
        return new TaskListing(page, dependencies, children, artifacts);
    }

    /// <summary>One task with its dependencies, or null.</summary>
    public static async Task<(TaskRecord Task, IReadOnlyList<DependencyState> Dependencies)?> GetAsync(IOrchestratorStore store, string taskId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var unit = await store.BeginReadAsync(cancellationToken);
        var task = await unit.Tasks.GetAsync(taskId, cancellationToken);
        return task is null ? null : (task, await unit.Dependencies.GetDependenciesAsync([taskId], cancellationToken));
    }
}
