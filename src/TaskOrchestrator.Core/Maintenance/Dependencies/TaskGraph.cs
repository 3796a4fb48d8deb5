using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Maintenance.Dependencies;

/// <summary>The whole workspace's tree and dependency edges, held in memory once for every check.</summary>
internal sealed class TaskGraph
{
    public TaskGraph(IReadOnlyList<TaskNode> nodes, IReadOnlyList<TaskDependency> edges)
    {
        Nodes = nodes;
        Edges = edges;
        ById = new Dictionary<string, TaskNode>(nodes.Count, StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            ById[node.Id] = node;
        }

        Children = nodes.Where(n => n.ParentId is not null).ToLookup(n => n.ParentId!, StringComparer.Ordinal);
    }

    public IReadOnlyList<TaskNode> Nodes { get; }

    public IReadOnlyList<TaskDependency> Edges { get; }

    public Dictionary<string, TaskNode> ById { get; }

    public ILookup<string, TaskNode> Children { get; }

    /// <summary>Not ended: pending, in progress or blocked.</summary>
    public static bool IsOpen(TaskItemStatus status) => !TaskTransitions.IsTerminal(status);

    /// <summary>Waiting to start: pending or blocked.</summary>
    public static bool IsWaiting(TaskItemStatus status) => status is TaskItemStatus.Pending or TaskItemStatus.Blocked;

    /// <summary>
    /// The tasks under <paramref name="rootId"/> at any depth, root excluded, in breadth-first order.
    /// Guarded against parent cycles, which a hand-edited database may hold.
    /// </summary>
    public List<TaskNode> Descendants(string rootId)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { rootId };
        var found = new List<TaskNode>();
        var queue = new Queue<string>();
        queue.Enqueue(rootId);
        while (queue.Count > 0)
        {
            foreach (var child in Children[queue.Dequeue()])
            {
                if (seen.Add(child.Id))
                {
                    found.Add(child);
                    queue.Enqueue(child.Id);
                }
            }
        }

        return found;
    }

    /// <summary>The ids the target covers, or null for the whole workspace.</summary>
    public HashSet<string>? ScopeOf(MaintenanceTarget target) => target.Scope switch
    {
        MaintenanceScope.Session => Nodes.Where(n => n.SessionId == target.SessionId).Select(n => n.Id).ToHashSet(StringComparer.Ordinal),
        MaintenanceScope.Subtree => Descendants(target.RootTaskId!).Select(n => n.Id).Append(target.RootTaskId!).ToHashSet(StringComparer.Ordinal),
        _ => null,
    };
}
