using TaskOrchestrator.Core.Agents;
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
    private readonly AgentHealthPolicy _agents;

    /// <summary>Creates the claimer; agents are judged by <paramref name="agents"/> (default: <see cref="AgentHealthPolicy.Default"/>).</summary>
    public TaskClaimer(TimeProvider time, AgentHealthPolicy? agents = null)
    {
        _time = time;
        _agents = agents ?? AgentHealthPolicy.Default;
    }

    /// <summary>
    /// Claims the best ready task that <paramref name="filter"/> admits for <paramref name="agentId"/>:
    /// pending, every hard dependency done, no open subtasks; highest priority, then lowest complexity,
    /// then oldest. Expired claims are reclaimed first, in the same transaction. An agent whose circuit
    /// is open (or that holds its probe task) is refused with <c>circuit_open</c>; the reclaim still commits.
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
            var reclaimed = await Operations.WorkReclaimer.ReclaimExpiredAsync(unit, now, _agents, cancellationToken);

            // Judged after the reclaim, which may have just opened this agent's circuit for a lease it
            // lost. A refusal keeps the reclaim: it is housekeeping the agent's request did not cause.
            AgentItem agent;
            try
            {
                agent = await AgentLedger.AdmitAsync(unit, store.Workspace.Id, agentId, actor, _agents, now, cancellationToken);
            }
            catch (Errors.OrchestratorException) when (reclaimed.Count > 0)
            {
                await unit.CommitAsync(cancellationToken);
                throw;
            }

            if (await unit.Tasks.FindClaimableAsync(filter, cancellationToken) is { } candidate)
            {
                claimed = await TaskClaims.ClaimAsync(unit, candidate, agent, lease, actor, now, cancellationToken);
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
