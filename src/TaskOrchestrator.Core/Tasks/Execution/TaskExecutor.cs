using System.Text.Json.Nodes;
using TaskOrchestrator.Core.Agents;
using TaskOrchestrator.Core.Artifacts;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Roles;
using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Core.Tasks.Execution;

/// <summary>Starts a task and assembles the context its agent needs.</summary>
public sealed class TaskExecutor
{
    private readonly TimeProvider _time;
    private readonly LeasePolicy _lease;
    private readonly AgentHealthPolicy _agents;

    /// <summary>
    /// Creates the executor; started work is held for <paramref name="lease"/>'s duration, and agents
    /// are judged by <paramref name="agents"/> (default: <see cref="AgentHealthPolicy.Default"/>).
    /// </summary>
    public TaskExecutor(TimeProvider time, LeasePolicy? lease = null, AgentHealthPolicy? agents = null)
    {
        _time = time;
        _lease = lease ?? LeasePolicy.Default;
        _agents = agents ?? AgentHealthPolicy.Default;
    }

    /// <summary>
    /// Moves the task to in-progress for <paramref name="agentId"/> (refusing while any hard dependency
    /// is unfinished) and returns its execution context. Calling it again for the same agent returns
    /// the context without changing anything.
    /// </summary>
    public async Task<ExecutionOutcome> ExecuteAsync(IOrchestratorStore store, string taskId, string? agentId, RoleCatalog roles, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(actor);

        TaskRecord started;
        bool already;
        await using (var unit = await store.BeginWriteAsync(cancellationToken))
        {
            (started, already) = await StartAsync(unit, taskId, agentId, actor, cancellationToken);
            if (!already)
            {
                await unit.CommitAsync(cancellationToken);
            }
        }

        // The context is read after the commit so that the write lock is held only for the state change.
        return await LoadContextAsync(store, started, already, roles, cancellationToken);
    }

    /// <summary>The execution context of <paramref name="started"/>: its role, ancestors, dependency results and children.</summary>
    public static async Task<ExecutionOutcome> LoadContextAsync(IOrchestratorStore store, TaskRecord started, bool already, RoleCatalog roles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(started);
        ArgumentNullException.ThrowIfNull(roles);
        await using var read = await store.BeginReadAsync(cancellationToken);
        var role = roles.Find(started.SpecialistType);
        var ancestors = await LoadAncestorsAsync(read, started, cancellationToken);
        var dependencies = await LoadDependencyResultsAsync(read, started.Id, cancellationToken);
        var children = await read.Tasks.GetChildrenAsync([started.Id], cancellationToken);
        return new ExecutionOutcome(
            started,
            already,
            role ?? roles.Require(RoleCatalog.DefaultRole, "specialist_type"),
            role is null,
            ancestors,
            dependencies,
            children);
    }

    private async Task<(TaskRecord Task, bool Already)> StartAsync(IStoreUnit unit, string taskId, string? agentId, Actor actor, CancellationToken cancellationToken)
    {
        var record = await unit.Tasks.GetAsync(taskId, cancellationToken)
            ?? throw Fail.NotFound("task_id", "task", taskId);

        if (record.Status == TaskItemStatus.InProgress)
        {
            if (record.AssignedAgent == agentId)
            {
                return (record, true);
            }

            throw Fail.With(
                ErrorCodes.TaskHeld,
                $"Task '{taskId}' is already in progress by agent '{record.AssignedAgent ?? "(unnamed)"}' since {record.StartedAt:u}.",
                "task_id",
                null,
                "Pick another ready task (orchestrator_query_tasks with ready_only=true). If that agent is gone, release the task with orchestrator_update_task status='pending'.",
                new JsonObject { ["held_by"] = record.AssignedAgent, ["started_at"] = record.StartedAt?.ToString("O") });
        }

        if (record.Status == TaskItemStatus.Blocked)
        {
            throw Fail.With(
                ErrorCodes.IllegalTransition,
                $"Task '{taskId}' is blocked: {record.StatusReason}.",
                "task_id",
                null,
                "Resolve the reason, then unblock it with orchestrator_update_task status='pending' and execute it again.");
        }

        var unfinished = (await unit.Dependencies.GetDependenciesAsync([taskId], cancellationToken))
            .Where(d => d.Kind == DependencyKind.Hard && !d.Satisfied)
            .ToArray();
        if (record.Status == TaskItemStatus.Pending && unfinished.Length > 0)
        {
            throw Fail.With(
                ErrorCodes.DependenciesIncomplete,
                $"Task '{taskId}' waits for {Text.Count(unfinished.Length, "unfinished dependency", "unfinished dependencies")}: {string.Join(", ", unfinished.Select(d => $"{d.DependsOnId} ({WireNames.Of(d.DependsOnStatus)})"))}.",
                "task_id",
                null,
                "Complete those tasks first, or pick a ready task with orchestrator_query_tasks ready_only=true.",
                new JsonObject
                {
                    ["unfinished_dependencies"] = new JsonArray([.. unfinished.Select(d => (JsonNode)new JsonObject
                    {
                        ["task_id"] = d.DependsOnId,
                        ["title"] = d.DependsOnTitle,
                        ["status"] = WireNames.Of(d.DependsOnStatus),
                    })]),
                });
        }

        var now = _time.Now();
        TaskRecord started;
        if (agentId is not null)
        {
            // A named agent claims the task, as orchestrator_claim_next_task does for the best ready one,
            // and is refused the same way while its circuit is open.
            var agent = await AgentLedger.AdmitAsync(unit, record.WorkspaceId, agentId, actor, _agents, now, cancellationToken);
            started = await Claims.TaskClaims.ClaimAsync(unit, record, agent, _lease.Duration, actor, now, cancellationToken);
        }
        else
        {
            var task = new TaskItem(record);
            var change = task.Start(null, actor.InstanceId, now + _lease.Duration, now);
            await unit.Tasks.UpdateAsync(task.Current, record, cancellationToken);
            await unit.Events.AppendAsync(TaskEvents.StatusChanged(record, change, actor, now), cancellationToken);
            started = task.Current;
        }

        if (actor.SessionId is not null)
        {
            await unit.Sessions.TouchAsync(actor.SessionId, now, cancellationToken);
        }

        return (started, false);
    }

    private static async Task<IReadOnlyList<TaskRecord>> LoadAncestorsAsync(IStoreUnit unit, TaskRecord task, CancellationToken cancellationToken)
    {
        var chain = new List<TaskRecord>();
        for (var parentId = task.ParentId; parentId is not null;)
        {
            var parent = await unit.Tasks.GetAsync(parentId, cancellationToken);
            if (parent is null)
            {
                break;
            }

            chain.Add(parent);
            parentId = parent.ParentId;
        }

        chain.Reverse();
        return chain;
    }

    private static async Task<IReadOnlyList<DependencyResult>> LoadDependencyResultsAsync(IStoreUnit unit, string taskId, CancellationToken cancellationToken)
    {
        var edges = await unit.Dependencies.GetDependenciesAsync([taskId], cancellationToken);
        if (edges.Count == 0)
        {
            return [];
        }

        var ids = edges.Select(e => e.DependsOnId).ToArray();
        var tasks = (await unit.Tasks.GetManyAsync(ids, cancellationToken)).ToDictionary(t => t.Id);
        var artifacts = (await unit.Artifacts.GetForTasksAsync(ids, includeContent: true, cancellationToken)).ToLookup(a => a.TaskId);

        int budget = Limits.ContextArtifactTotal;
        var results = new List<DependencyResult>(edges.Count);
        foreach (var edge in edges)
        {
            if (!tasks.TryGetValue(edge.DependsOnId, out var dependency))
            {
                continue;
            }

            bool truncated = false;
            var trimmed = new List<ArtifactRecord>();
            foreach (var artifact in artifacts[edge.DependsOnId])
            {
                var content = artifact.Content ?? string.Empty;
                int allowed = Math.Max(0, Math.Min(Limits.ContextArtifactLength, budget));
                if (content.Length > allowed)
                {
                    content = content[..allowed];
                    truncated = true;
                }

                budget -= content.Length;
                trimmed.Add(artifact with { Content = content });
            }

            results.Add(new DependencyResult(dependency, edge.Kind, trimmed, truncated));
        }

        return results;
    }
}
