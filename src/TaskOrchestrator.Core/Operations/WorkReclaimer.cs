using System.Globalization;
using System.Text.Json.Nodes;
using TaskOrchestrator.Core.Agents;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Operations;

/// <summary>
/// Ends holds on work in progress when whatever held it is gone. When the server instance a task was
/// started through died or stopped, work started without an agent goes back to pending, while work an
/// agent started stays in progress under that agent's lease (a <c>hold_detached</c> event): agents
/// outlive server processes (a client that starts a server per call, a restarted editor) and may
/// finish it through any server until the lease ends. When a lease runs out, the task goes back to
/// pending. Each release is a <c>status_changed</c> event naming the former holder, written in the
/// caller's unit.
/// </summary>
public static class WorkReclaimer
{
    /// <summary>The most tasks one call releases; the rest are found by the next pass.</summary>
    public const int BatchLimit = 1_000;

    /// <summary>Cause of a release: the holding instance was found dead.</summary>
    public const string InstanceDead = "instance_dead";

    /// <summary>Cause of a release: the holding instance stopped without handing its work on.</summary>
    public const string InstanceStopped = "instance_stopped";

    /// <summary>Cause of a release: the holding instance is shutting down for good.</summary>
    public const string Shutdown = "shutdown";

    /// <summary>Cause of a release: nobody renewed the hold before it expired.</summary>
    public const string LeaseExpired = "lease_expired";

    /// <summary>
    /// Releases the tasks in progress held through any of <paramref name="holders"/> (instance id →
    /// cause) in <paramref name="unit"/>, a write unit the caller commits.
    /// </summary>
    public static async Task<IReadOnlyList<ReleasedWork>> ReleaseHeldByAsync(IStoreUnit unit, IReadOnlyDictionary<string, string> holders, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(holders);
        if (holders.Count == 0)
        {
            return [];
        }

        var held = await unit.Tasks.GetHeldByAsync([.. holders.Keys], BatchLimit, cancellationToken);
        var released = new List<ReleasedWork>(held.Count);
        foreach (var task in held)
        {
            var holder = task.HolderInstanceId!;
            var cause = holders[holder];
            if (task.AssignedAgent is not null && task.LeaseExpiresAt is { } lease && lease > now)
            {
                await DetachAsync(unit, task, cause, now, cancellationToken);
                released.Add(new ReleasedWork(task, cause, BackToPending: false));
                continue;
            }

            await ReleaseAsync(unit, task, cause, Describe(cause, holder), now, cancellationToken);
            released.Add(new ReleasedWork(task, cause));
        }

        return released;
    }

    /// <summary>
    /// Releases the tasks in progress whose lease expired before <paramref name="now"/>, and counts each
    /// lost claim against the agent that held it (which may open its circuit, judged by <paramref name="agents"/>).
    /// </summary>
    public static async Task<IReadOnlyList<ReleasedWork>> ReclaimExpiredAsync(IStoreUnit unit, DateTimeOffset now, AgentHealthPolicy agents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        var expired = await unit.Tasks.GetExpiredLeasesAsync(now, BatchLimit, cancellationToken);
        var released = new List<ReleasedWork>(expired.Count);
        foreach (var task in expired)
        {
            var reason = string.Create(
                CultureInfo.InvariantCulture,
                $"released: the hold of agent '{task.AssignedAgent ?? "(unnamed)"}' through server instance '{task.HolderInstanceId ?? "(none)"}' expired at {task.LeaseExpiresAt:u} without being renewed");
            await ReleaseAsync(unit, task, LeaseExpired, reason, now, cancellationToken);
            await AgentLedger.RecordOutcomeAsync(unit, task, AgentOutcome.LeaseExpired, Actor.System, agents, now, cancellationToken);
            released.Add(new ReleasedWork(task, LeaseExpired));
        }

        return released;
    }

    private static string Describe(string cause, string holder) => cause switch
    {
        InstanceDead => $"released: server instance '{holder}' that held it is dead",
        InstanceStopped => $"released: server instance '{holder}' that held it has stopped",
        Shutdown => $"released: server instance '{holder}' that held it shut down",
        _ => $"released: server instance '{holder}' gave it up ({cause})",
    };

    private static async Task DetachAsync(IStoreUnit unit, TaskRecord original, string cause, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var task = new TaskItem(original);
        task.DetachFromInstance(now);
        await unit.Tasks.UpdateAsync(task.Current, original, cancellationToken);
        var data = new JsonObject
        {
            ["released_from_instance"] = original.HolderInstanceId,
            ["agent"] = original.AssignedAgent,
            ["cause"] = cause,
            ["lease_expires_at"] = original.LeaseExpiresAt?.ToString("O", CultureInfo.InvariantCulture),
        };
        await unit.Events.AppendAsync(TaskEvents.Of(EventKinds.HoldDetached, original.WorkspaceId, original.Id, Actor.System, now, data), cancellationToken);
    }

    private static async Task ReleaseAsync(IStoreUnit unit, TaskRecord original, string cause, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var task = new TaskItem(original);
        var change = task.Reopen(reason, now);
        await unit.Tasks.UpdateAsync(task.Current, original, cancellationToken);
        var data = new JsonObject
        {
            ["released_from_instance"] = original.HolderInstanceId,
            ["released_from_agent"] = original.AssignedAgent,
            ["cause"] = cause,
            ["lease_expires_at"] = original.LeaseExpiresAt?.ToString("O", CultureInfo.InvariantCulture),
        };
        await unit.Events.AppendAsync(TaskEvents.StatusChanged(original, change, Actor.System, now, data), cancellationToken);
    }
}
