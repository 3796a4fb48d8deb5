using TaskOrchestrator.Core.Agents;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Core.Tasks.Claims;

/// <summary>
/// Group commit for claims on one workspace store. Every claim is its own committed, fsync'd write,
/// and with one writer at a time the fsync, not the work, bounds how many agents can be served. So
/// the claims that arrive while a transaction runs wait for it and then go together in the next one:
/// one transaction, one fsync, each claim picking the best task the ones before it left (looked up once
/// for all the claims of a batch that share a filter, see <see cref="ClaimCandidates"/>). A batch is
/// taken once the write lock is held, so the claims that came while it was awaited join it. No claim
/// waits for a timer; a lone agent's claim goes at once. Each claim is committed before its agent
/// hears of it, as a claim of its own would be.
/// </summary>
internal sealed class ClaimQueue
{
    /// <summary>The most claims one transaction makes, so that the write lock is not held for long.</summary>
    public const int MaxBatch = 64;

    private readonly IOrchestratorStore _store;
    private readonly TimeProvider _time;
    private readonly AgentHealthPolicy _agents;
    private readonly ClaimMetrics? _metrics;
    private readonly Lock _gate = new();
    private readonly Queue<Waiting> _waiting = new();
    private bool _draining;

    public ClaimQueue(IOrchestratorStore store, TimeProvider time, AgentHealthPolicy agents, ClaimMetrics? metrics)
    {
        _store = store;
        _time = time;
        _agents = agents;
        _metrics = metrics;
    }

    /// <summary>Claims the best ready task <paramref name="filter"/> admits for <paramref name="agentId"/>; null when none is ready.</summary>
    public Task<TaskRecord?> ClaimAsync(string agentId, ClaimFilter filter, TimeSpan lease, Actor actor, CancellationToken cancellationToken)
    {
        var waiting = new Waiting(agentId, filter, lease, actor, new TaskCompletionSource<TaskRecord?>(TaskCreationOptions.RunContinuationsAsynchronously));
        bool drain;
        lock (_gate)
        {
            _waiting.Enqueue(waiting);
            drain = !_draining;
            _draining = true;
        }

        if (drain)
        {
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }

        // A cancelled caller stops waiting; a claim already made for it lapses with its lease.
        return waiting.Result.Task.WaitAsync(cancellationToken);
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _draining = false;
                    return;
                }
            }

            await RunBatchAsync();
        }
    }

    // The claims waiting once the write lock is held, at most MaxBatch of them.
    private List<Waiting> TakeBatch()
    {
        var batch = new List<Waiting>();
        lock (_gate)
        {
            while (batch.Count < MaxBatch && _waiting.TryDequeue(out var next))
            {
                batch.Add(next);
            }
        }

        return batch;
    }

    private async Task RunBatchAsync()
    {
        List<Waiting>? batch = null;
        TaskRecord?[] claimed;
        OrchestratorException?[] refused;
        int expired;
        try
        {
            await using (var unit = await _store.BeginWriteAsync(CancellationToken.None))
            {
                // Claims whose lease ran out go back first: an agent asking for work does not wait for
                // the health monitor's next pass to get a task whose holder went silent.
                var now = _time.Now();
                expired = (await WorkReclaimer.ReclaimExpiredAsync(unit, now, _agents, CancellationToken.None)).Count;
                var changed = expired > 0;

                // The write lock is held from here on (SQLite takes it when the unit begins, PostgreSQL with
                // its first statement), so the batch is taken only now: the claims that arrived while the
                // lock was awaited, often several milliseconds when other processes write too, go in this
                // transaction instead of waiting for the lock once more.
                batch = TakeBatch();
                claimed = new TaskRecord?[batch.Count];
                refused = new OrchestratorException?[batch.Count];
                var candidates = new ClaimCandidates(batch.Select(w => w.Filter));

                // Every agent of the batch read at once, after the reclaim (which may have just opened an
                // agent's circuit for a lease it lost); an agent claiming twice in one batch is judged the
                // second time by its row as the first claim left it.
                var agents = (await unit.Agents.GetManyAsync(batch.Select(w => w.AgentId).Distinct(StringComparer.Ordinal).ToArray(), CancellationToken.None))
                    .ToDictionary(a => a.Id, StringComparer.Ordinal);
                for (int i = 0; i < batch.Count; i++)
                {
                    var request = batch[i];

                    // A refusal writes nothing; the rest of the batch goes on.
                    AgentItem agent;
                    try
                    {
                        agent = AgentLedger.Admit(agents.GetValueOrDefault(request.AgentId), _store.Workspace.Id, request.AgentId, request.Actor, _agents, now);
                    }
                    catch (OrchestratorException ex)
                    {
                        refused[i] = ex;
                        continue;
                    }

                    if (await candidates.NextAsync(unit, request.Filter) is not { } candidate)
                    {
                        continue;
                    }

                    claimed[i] = await TaskClaims.ClaimAsync(unit, candidate, agent, request.Lease, request.Actor, now, CancellationToken.None);
                    agents[request.AgentId] = agent.Current;
                    if (request.Actor.SessionId is not null)
                    {
                        await unit.Sessions.TouchAsync(request.Actor.SessionId, now, CancellationToken.None);
                    }

                    changed = true;
                }

                if (changed)
                {
                    await unit.CommitAsync(CancellationToken.None);
                }
            }
        }
        catch (Exception ex)
        {
            // Nothing of the batch was committed: every claim in it fails alike, and its caller may retry.
            // When the unit could not even begin, the claims waiting now are that batch.
            foreach (var request in batch ?? TakeBatch())
            {
                request.Result.TrySetException(ex);
            }

            return;
        }

        _metrics?.LeasesExpired(_store.Workspace, expired);
        _metrics?.Claimed(_store.Workspace, claimed.Count(c => c is not null));
        for (int i = 0; i < batch.Count; i++)
        {
            if (refused[i] is { } refusal)
            {
                batch[i].Result.TrySetException(refusal);
            }
            else
            {
                batch[i].Result.TrySetResult(claimed[i]);
            }
        }
    }

    private sealed record Waiting(string AgentId, ClaimFilter Filter, TimeSpan Lease, Actor Actor, TaskCompletionSource<TaskRecord?> Result);
}
