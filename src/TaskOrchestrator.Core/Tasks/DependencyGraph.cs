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
