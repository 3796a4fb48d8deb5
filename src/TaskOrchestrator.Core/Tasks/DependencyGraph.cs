namespace TaskOrchestrator.Core.Tasks;

/// <summary>
/// Cycle detection over a set of dependency edges held in memory. Used when a plan creates many
/// tasks at once and when the whole graph is validated; single-edge additions ask the store instead.
/// </summary>
public static class DependencyGraph
{
    /// <summary>
    /// Finds one cycle among <paramref name="edges"/>, returned as the ids along it with the first id
    /// repeated at the end (a → b → a), or an empty list when the graph is acyclic.
    /// </summary>
    public static IReadOnlyList<string> FindCycle(IEnumerable<TaskDependency> edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        var next = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var edge in edges)
        {
            if (!next.TryGetValue(edge.TaskId, out var list))
            {
                next[edge.TaskId] = list = [];
            }

            list.Add(edge.DependsOnId);
        }

        // Iterative three-colour DFS: recursion would overflow on deep chains of thousands of tasks.
        var state = new Dictionary<string, byte>(StringComparer.Ordinal); // 1 = on stack, 2 = done
        var parent = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var start in next.Keys)
        {
            if (state.ContainsKey(start))
            {
                continue;
            }

            var stack = new Stack<(string Node, int Index)>();
            stack.Push((start, 0));
            state[start] = 1;
            while (stack.Count > 0)
            {
                var (node, index) = stack.Pop();
                var successors = next.TryGetValue(node, out var s) ? s : null;
                if (successors is null || index >= successors.Count)
                {
                    state[node] = 2;
                    continue;
                }

                stack.Push((node, index + 1));
                var child = successors[index];
                if (!state.TryGetValue(child, out var childState))
                {
                    state[child] = 1;
                    parent[child] = node;
                    stack.Push((child, 0));
                }
                else if (childState == 1)
                {
                    return TraceCycle(node, child, parent);
                }
            }
        }

        return [];
    }

    /// <summary>
    /// Every group of tasks caught in a cycle among <paramref name="edges"/>: the strongly connected
    /// components with more than one task, or one task that depends on itself. Each group lists its
    /// ids in ordinal order; groups are ordered by their first id. One pass over the graph (Tarjan),
    /// so the whole workspace can be checked at once however many cycles it holds.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> FindCyclicGroups(IReadOnlyCollection<TaskDependency> edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        int Intern(string id)
        {
            if (!index.TryGetValue(id, out var i))
            {
                index[id] = i = names.Count;
                names.Add(id);
            }

            return i;
        }

        var pairs = edges.Select(e => (From: Intern(e.TaskId), To: Intern(e.DependsOnId))).ToArray();
        var successors = new List<int>[names.Count];
        var selfLoop = new bool[names.Count];
        foreach (var (from, to) in pairs)
        {
            (successors[from] ??= []).Add(to);
            selfLoop[from] |= from == to;
        }

        var groups = new List<IReadOnlyList<string>>();
        foreach (var component in StronglyConnected(successors))
        {
            if (component.Count > 1 || selfLoop[component[0]])
            {
                groups.Add([.. component.Select(i => names[i]).Order(StringComparer.Ordinal)]);
            }
        }

        return [.. groups.OrderBy(g => g[0], StringComparer.Ordinal)];
    }

    // Iterative Tarjan: recursion would overflow on the deep chains a large workspace holds.
    private static List<List<int>> StronglyConnected(List<int>?[] successors)
    {
        int count = successors.Length;
        var order = new int[count];
        var low = new int[count];
        var onStack = new bool[count];
        Array.Fill(order, -1);
        var stack = new Stack<int>();
        var work = new Stack<(int Node, int Next)>();
        var components = new List<List<int>>();
        int counter = 0;
        for (int start = 0; start < count; start++)
        {
            if (order[start] >= 0)
            {
                continue;
            }

            work.Push((start, 0));
            while (work.Count > 0)
            {
                var (node, next) = work.Pop();
                if (next == 0)
                {
                    order[node] = low[node] = counter++;
                    stack.Push(node);
                    onStack[node] = true;
                }

                var outgoing = successors[node];
                if (outgoing is not null && next < outgoing.Count)
                {
                    work.Push((node, next + 1));
                    int child = outgoing[next];
                    if (order[child] < 0)
                    {
                        work.Push((child, 0));
                    }
                    else if (onStack[child])
                    {
                        low[node] = Math.Min(low[node], order[child]);
                    }

                    continue;
                }

                if (low[node] == order[node])
                {
                    var component = new List<int>();
                    int member;
                    do
                    {
                        member = stack.Pop();
                        onStack[member] = false;
                        component.Add(member);
                    }
                    while (member != node);
                    components.Add(component);
                }

                if (work.Count > 0)
                {
                    int parent = work.Peek().Node;
                    low[parent] = Math.Min(low[parent], low[node]);
                }
            }
        }

        return components;
    }

    private static List<string> TraceCycle(string from, string backTo, Dictionary<string, string> parent)
    {
        var path = new List<string> { from };
        var current = from;
        while (current != backTo)
        {
            current = parent[current];
            path.Add(current);
        }

        path.Reverse();
        path.Add(backTo);
        return path;
    }
}
