using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Core.Tasks.Claims;

/// <summary>
/// The tasks a claim batch hands out, looked up once per filter rather than once per claim: the claims
/// of a batch that share a filter take the best tasks in turn from one lookup of as many tasks as they
/// are. A claim changes no other pending task's readiness, so the tasks after the first stay the right
/// ones; a task another filter's claim took in the meantime is skipped, and a list that runs out is
/// looked up again (it then no longer holds the tasks claimed since).
/// </summary>
internal sealed class ClaimCandidates
{
    private readonly Dictionary<string, int> _wanted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<TaskRecord>> _found = new(StringComparer.Ordinal);
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

    /// <summary>Prepares for the claims of <paramref name="filters"/>, one per claim in the batch.</summary>
    public ClaimCandidates(IEnumerable<ClaimFilter> filters)
    {
        foreach (var filter in filters)
        {
            var key = KeyOf(filter);
            _wanted[key] = _wanted.GetValueOrDefault(key) + 1;
        }
    }

    /// <summary>The best task not yet handed out in this batch that <paramref name="filter"/> admits, marked taken; null when none is ready.</summary>
    public async Task<TaskRecord?> NextAsync(IStoreUnit unit, ClaimFilter filter)
    {
        var key = KeyOf(filter);
        if (Take(key) is { } found)
        {
            return found;
        }

        // Nothing left from the last lookup, or none made yet. A new lookup runs after every claim made so
        // far in this unit, so none of the tasks it returns is taken.
        _found[key] = new Queue<TaskRecord>(await unit.Tasks.FindClaimableAsync(filter, Math.Max(1, _wanted[key]), CancellationToken.None));
        return Take(key);
    }

    private TaskRecord? Take(string key)
    {
        if (_found.TryGetValue(key, out var queue))
        {
            while (queue.TryDequeue(out var candidate))
            {
                if (_taken.Add(candidate.Id))
                {
                    _wanted[key]--;
                    return candidate;
                }
            }
        }

        return null;
    }

    private static string KeyOf(ClaimFilter filter) =>
        string.Join(',', filter.SpecialistTypes) + "|" + string.Join(',', filter.TaskTypes) + "|" + filter.WithinTaskId;
}
