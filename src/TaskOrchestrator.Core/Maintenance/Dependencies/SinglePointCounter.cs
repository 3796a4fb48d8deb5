using System.Text.Json.Nodes;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Maintenance.Dependencies;

/// <summary>
/// Counts, for every unfinished task, the waiting tasks (pending or blocked) that depend on it through
/// hard dependencies, directly or transitively, and reports those at or above the threshold.
/// </summary>
/// <remarks>
/// Exact transitive counts cost a walk per task in general. Two things keep it bounded: tasks are
/// visited dependents-first, so a task with a single dependent takes that dependent's count plus one
/// without a walk (chains, the common shape, cost nothing); and the walks that remain share a budget
/// of <see cref="DependencyValidator.CountingBudget"/> edge visits, after which the tasks still
/// uncounted are left out and named in the report's limits.
/// </remarks>
internal sealed class SinglePointCounter
{
    private readonly string[] _ids;
    private readonly List<int>?[] _dependents;
    private readonly List<int>?[] _blockers;
    private readonly int[] _visited;
    private int _stamp;
    private long _budget;

    public SinglePointCounter(TaskGraph graph, long budget)
    {
        _budget = budget;
        _ids = [.. graph.Nodes.Select(n => n.Id)];
        var index = new Dictionary<string, int>(_ids.Length, StringComparer.Ordinal);
        for (int i = 0; i < _ids.Length; i++)
        {
            index[_ids[i]] = i;
        }

        _dependents = new List<int>?[_ids.Length];
        _blockers = new List<int>?[_ids.Length];
        _visited = new int[_ids.Length];
        foreach (var edge in graph.Edges)
        {
            if (edge.Kind != DependencyKind.Hard || edge.TaskId == edge.DependsOnId
                || !index.TryGetValue(edge.TaskId, out var waiting) || !index.TryGetValue(edge.DependsOnId, out var blocker)
                || !TaskGraph.IsWaiting(graph.Nodes[waiting].Status) || !TaskGraph.IsOpen(graph.Nodes[blocker].Status))
            {
                continue;
            }

            (_dependents[blocker] ??= []).Add(waiting);
            (_blockers[waiting] ??= []).Add(blocker);
        }
    }

    /// <summary>Tasks with dependents whose count was not finished within the budget.</summary>
    public int Uncounted { get; private set; }

    /// <summary>Tasks that had dependents to count.</summary>
    public int Counted { get; private set; }

    public IEnumerable<FindingDraft> Find(int minDependents, CancellationToken cancellationToken)
    {
        var counts = Count(cancellationToken);
        for (int v = 0; v < _ids.Length; v++)
        {
            if (counts[v] < minDependents)
            {
                continue;
            }

            var direct = _dependents[v]!.Select(i => _ids[i]).Order(StringComparer.Ordinal).ToArray();
            int total = counts[v];
            var through = total - direct.Length;
            yield return new FindingDraft(
                DependencyFindingKind.SinglePointOfFailure,
                FindingSeverity.Info,
                $"{total} open tasks wait on task '{_ids[v]}' ({direct.Length} directly, {through} through them): if it fails or is cancelled, none of them can become ready.",
                [_ids[v], .. direct],
                1 + total,
                new SuggestedFix(
                    "orchestrator_update_task",
                    new JsonObject { ["task_id"] = _ids[v], ["priority"] = "critical" },
                    $"Hand '{_ids[v]}' out first and to a reliable agent; if it is large, split it into subtasks (orchestrator_plan_task with parent_task_id) so that dependents can wait only for the part they need."),
                -total);
        }
    }

    private int[] Count(CancellationToken cancellationToken)
    {
        // -1: not counted (budget spent). Dependents-first order: Kahn's algorithm over "waits on" edges.
        var counts = new int[_ids.Length];
        Array.Fill(counts, -1);
        var remaining = new int[_ids.Length];
        var ready = new Queue<int>();
        for (int v = 0; v < _ids.Length; v++)
        {
            remaining[v] = _dependents[v]?.Count ?? 0;
            if (remaining[v] == 0)
            {
                ready.Enqueue(v);
            }
        }

        var done = new bool[_ids.Length];
        while (ready.Count > 0)
        {
            int v = ready.Dequeue();
            done[v] = true;
            counts[v] = CountOne(v, counts, cancellationToken);
            foreach (var blocker in _blockers[v] ?? [])
            {
                if (--remaining[blocker] == 0)
                {
                    ready.Enqueue(blocker);
                }
            }
        }

        // Tasks on or behind a cycle never became ready above; walking still counts them correctly.
        for (int v = 0; v < _ids.Length; v++)
        {
            if (!done[v])
            {
                counts[v] = Walk(v, cancellationToken);
            }
        }

        foreach (var v in Enumerable.Range(0, _ids.Length).Where(v => _dependents[v] is not null))
        {
            Counted++;
            Uncounted += counts[v] < 0 ? 1 : 0;
        }

        return counts;
    }

    private int CountOne(int v, int[] counts, CancellationToken cancellationToken)
    {
        var dependents = _dependents[v];
        if (dependents is null)
        {
            return 0;
        }

        if (dependents.Count == 1)
        {
            // Everything waiting on v waits through its only dependent d, and v cannot be among d's
            // dependents (d was counted before v, so no cycle joins them).
            int through = counts[dependents[0]];
            return through < 0 ? -1 : through + 1;
        }

        return Walk(v, cancellationToken);
    }

    private int Walk(int start, CancellationToken cancellationToken)
    {
        if (_budget <= 0)
        {
            return -1;
        }

        cancellationToken.ThrowIfCancellationRequested();
        _stamp++;
        _visited[start] = _stamp;
        var queue = new Queue<int>();
        queue.Enqueue(start);
        int reached = 0;
        while (queue.Count > 0)
        {
            foreach (var next in _dependents[queue.Dequeue()] ?? [])
            {
                if (--_budget < 0)
                {
                    return -1;
                }

                if (_visited[next] != _stamp)
                {
                    _visited[next] = _stamp;
                    reached++;
                    queue.Enqueue(next);
                }
            }
        }

        return reached;
    }
}
