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
    /// <summary>
    /// How far the open work is counted when nothing is ready (<see cref="ClaimOutcome"/>): enough for an
    /// agent to tell waiting from stopping, and bounded, because an idle agent asks again and again.
    /// </summary>
    public const int OpenWorkCountCap = 1_000;

    private readonly TimeProvider _time;
    private readonly AgentHealthPolicy _agents;
    private readonly ClaimMetrics? _metrics;

    // One queue per open store, dropped with it.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<IOrchestratorStore, ClaimQueue> _queues = [];

    /// <summary>
    /// Creates the claimer; agents are judged by <paramref name="agents"/> (default: <see cref="AgentHealthPolicy.Default"/>);
    /// committed claims and expired leases are counted on <paramref name="metrics"/> when given.
    /// </summary>
    public TaskClaimer(TimeProvider time, AgentHealthPolicy? agents = null, ClaimMetrics? metrics = null)
    {
        _time = time;
        _agents = agents ?? AgentHealthPolicy.Default;
        _metrics = metrics;
    }

    /// <summary>
    /// Claims the best ready task that <paramref name="filter"/> admits for <paramref name="agentId"/>:
    /// pending, every hard dependency done, no open subtasks; highest priority, then lowest complexity,
    /// then oldest. Expired claims are reclaimed first, in the same transaction. An agent whose circuit
    /// is open (or that holds its probe task) is refused with <c>circuit_open</c>; the reclaim still
    /// commits. Claims asked for at the same time share one transaction (see <see cref="ClaimQueue"/>).
    /// </summary>
    public async Task<ClaimOutcome> ClaimNextAsync(IOrchestratorStore store, string agentId, ClaimFilter filter, TimeSpan lease, RoleCatalog roles, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(filter);
        var claimed = await _queues.GetValue(store, s => new ClaimQueue(s, _time, _agents, _metrics)).ClaimAsync(agentId, filter, lease, actor, cancellationToken);
        if (claimed is not null)
        {
            return new ClaimOutcome(await TaskExecutor.LoadContextAsync(store, claimed, already: false, roles, cancellationToken), 0, 0);
        }

        await using var read = await store.BeginReadAsync(cancellationToken);
        var (pending, inProgress) = await read.Tasks.CountOpenWorkAsync(OpenWorkCountCap, cancellationToken);
        return new ClaimOutcome(null, pending, inProgress);
    }
}
