using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Roles;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks.Execution;

namespace TaskOrchestrator.Core.Tasks.Claims;

/// <summary>
/// Hands the best ready task to an agent: chosen and claimed in one write transaction, so that two
/// agents (in any processes sharing the workspace) never get the same task.
/// </summary>
public sealed class TaskClaimer
{
    private readonly TimeProvider _time;

    /// <summary>Creates the claimer.</summary>
    public TaskClaimer(TimeProvider time) => _time = time;

    /// <summary>
    /// Claims the best ready task that <paramref name="filter"/> admits for <paramref name="agentId"/>:
    /// pending, every hard dependency done, no open subtasks; highest priority, then lowest complexity,
    /// then oldest. Expired claims are reclaimed first, in the same transaction.
    /// </summary>
    public async Task<ClaimOutcome> ClaimNextAsync(IOrchestratorStore store, string agentId, ClaimFilter filter, TimeSpan lease, RoleCatalog roles, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(filter);
        TaskRecord? claimed = null;
        await using (var unit = await store.BeginWriteAsync(cancellationToken))
        {
            // Claims whose lease ran out go back first, in this transaction: an agent asking for work
            // does not wait for the health monitor's next pass to get a task whose holder went silent.
            var now = _time.Now();
            var reclaimed = await Operations.WorkReclaimer.ReclaimExpiredAsync(unit, now, cancellationToken);
            if (await unit.Tasks.FindClaimableAsync(filter, cancellationToken) is { } candidate)
            {
                claimed = await TaskClaims.ClaimAsync(unit, candidate, agentId, lease, actor, now, cancellationToken);
                if (actor.SessionId is not null)
                {
                    await unit.Sessions.TouchAsync(actor.SessionId, now, cancellationToken);
                }

                await unit.CommitAsync(cancellationToken);
            }
            else if (reclaimed.Count > 0)
            {
                await unit.CommitAsync(cancellationToken);
            }
        }

        if (claimed is not null)
        {
            return new ClaimOutcome(await TaskExecutor.LoadContextAsync(store, claimed, already: false, roles, cancellationToken), 0, 0);
        }

        await using var read = await store.BeginReadAsync(cancellationToken);
        var counts = await read.Tasks.CountByStatusAsync(null, cancellationToken);
        return new ClaimOutcome(null, counts.GetValueOrDefault(TaskItemStatus.Pending), counts.GetValueOrDefault(TaskItemStatus.InProgress));
    }
}
