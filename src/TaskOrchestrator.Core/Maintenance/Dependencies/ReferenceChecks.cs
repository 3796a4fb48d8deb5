using System.Text.Json.Nodes;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Maintenance.Dependencies;

/// <summary>
/// Checks for data the write paths refuse but a hand-edited database or an older version may hold:
/// cycles among dependencies or parents, and references to tasks that do not exist.
/// </summary>
internal static class ReferenceChecks
{
    private const string NoToolFix = "Restore the workspace database from a backup (docs/operations.md) if the missing task matters.";

    public static IEnumerable<FindingDraft> DependencyCycles(TaskGraph graph)
    {
        var groups = DependencyGraph.FindCyclicGroups([.. graph.Edges]);
        var groupOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int g = 0; g < groups.Count; g++)
        {
            foreach (var id in groups[g])
            {
                groupOf[id] = g;
            }
        }

        var inside = groups.Select(_ => new List<TaskDependency>()).ToArray();
        foreach (var edge in graph.Edges)
        {
            if (groupOf.TryGetValue(edge.TaskId, out var g) && groupOf.TryGetValue(edge.DependsOnId, out var h) && g == h)
            {
                inside[g].Add(edge);
            }
        }

        for (int g = 0; g < groups.Count; g++)
        {
            var path = DependencyGraph.FindCycle(inside[g]);
            var message = $"Dependencies form a cycle: {string.Join(" -> ", path)}; none of these tasks can become ready.";
            yield return Cycle(graph, groups[g], path, message, "dependency", (dependent, dependsOn) => new SuggestedFix(
                "orchestrator_update_task",
                new JsonObject { ["task_id"] = dependent, ["remove_dependencies"] = new JsonArray(dependsOn) },
                $"Remove the dependency of '{dependent}' on '{dependsOn}' to break the cycle; keep the one that reflects the real order of the work."));
        }
    }

    public static IEnumerable<FindingDraft> ParentCycles(TaskGraph graph)
    {
        var parentEdges = graph.Nodes
            .Where(n => n.ParentId is not null && graph.ById.ContainsKey(n.ParentId))
            .Select(n => new TaskDependency(n.Id, n.ParentId!))
            .ToArray();
        foreach (var group in DependencyGraph.FindCyclicGroups(parentEdges))
        {
            var members = group.ToHashSet(StringComparer.Ordinal);
            var path = DependencyGraph.FindCycle(parentEdges.Where(e => members.Contains(e.TaskId)));
            var message = $"Parents form a cycle: {string.Join(" -> ", path)} (each is a subtask of the next); none of these tasks belongs to a real tree.";
            yield return Cycle(graph, group, path, message, "parent", (child, _) => new SuggestedFix(
                "orchestrator_update_task",
                new JsonObject { ["task_id"] = child, ["clear_fields"] = new JsonArray("parent_task_id") },
                $"Make '{child}' a top-level task to break the cycle, or move it under a task outside the cycle with parent_task_id."));
        }
    }

    public static IEnumerable<FindingDraft> DanglingEdges(TaskGraph graph)
    {
        foreach (var edge in graph.Edges)
        {
            bool dependentExists = graph.ById.TryGetValue(edge.TaskId, out var dependent);
            bool targetExists = graph.ById.ContainsKey(edge.DependsOnId);
            if (dependentExists && targetExists)
            {
                continue;
            }

            string message;
            SuggestedFix fix;
            if (dependentExists && TaskGraph.IsOpen(dependent!.Status))
            {
                message = $"Task '{edge.TaskId}' depends on '{edge.DependsOnId}', which does not exist.";
                fix = new SuggestedFix(
                    "orchestrator_update_task",
                    new JsonObject { ["task_id"] = edge.TaskId, ["remove_dependencies"] = new JsonArray(edge.DependsOnId) },
                    $"Remove the dependency on the missing task; add one on the task that replaced it, if any, with add_dependencies.");
            }
            else if (dependentExists)
            {
                message = $"Task '{edge.TaskId}' depends on '{edge.DependsOnId}', which does not exist.";
                fix = new SuggestedFix(null, null, $"Task '{edge.TaskId}' is '{WireNames.Of(dependent!.Status)}', so no tool edits its dependencies, and the edge blocks nothing. " + NoToolFix);
            }
            else
            {
                message = targetExists
                    ? $"A dependency of '{edge.TaskId}', which does not exist, on '{edge.DependsOnId}' remains."
                    : $"A dependency of '{edge.TaskId}' on '{edge.DependsOnId}' remains, and neither task exists.";
                fix = new SuggestedFix(null, null, $"No tool edits a task that does not exist. The edge blocks nothing, but makes '{edge.DependsOnId}' look depended on (orchestrator_delete_task refuses it without force). " + NoToolFix);
            }

            yield return new FindingDraft(DependencyFindingKind.DanglingReference, FindingSeverity.Error, message, [edge.TaskId, edge.DependsOnId], 2, fix);
        }
    }

    /// <summary>Missing parents of ended tasks; an open task under a missing parent is an orphaned subtree instead.</summary>
    public static IEnumerable<FindingDraft> DanglingParents(TaskGraph graph) =>
        graph.Nodes
            .Where(n => n.ParentId is not null && !graph.ById.ContainsKey(n.ParentId) && !TaskGraph.IsOpen(n.Status))
            .Select(n => new FindingDraft(
                DependencyFindingKind.DanglingReference,
                FindingSeverity.Error,
                $"Task '{n.Id}' names parent '{n.ParentId}', which does not exist.",
                [n.Id, n.ParentId!],
                2,
                new SuggestedFix(null, null, $"Task '{n.Id}' is '{WireNames.Of(n.Status)}', so no tool moves it; the reference only affects reports of the tree. " + NoToolFix)));

    private static FindingDraft Cycle(TaskGraph graph, IReadOnlyList<string> group, IReadOnlyList<string> path, string message, string what, Func<string, string, SuggestedFix> fixFor)
    {
        var along = path.Distinct(StringComparer.Ordinal).ToArray();
        var onPath = along.ToHashSet(StringComparer.Ordinal);
        if (group.Count > along.Length)
        {
            message += $" {group.Count} tasks in all are caught in cycles of this {what} group.";
        }

        // Break the cycle at the last link whose task can still be edited; an ended task cannot be.
        SuggestedFix? fix = null;
        for (int i = path.Count - 2; i >= 0 && fix is null; i--)
        {
            if (graph.ById.TryGetValue(path[i], out var node) && TaskGraph.IsOpen(node.Status))
            {
                fix = fixFor(path[i], path[i + 1]);
            }
        }

        fix ??= new SuggestedFix(null, null, "Every task of the cycle has ended, so no tool edits it; the cycle blocks no further work and only affects reports.");
        return new FindingDraft(
            DependencyFindingKind.DependencyCycle,
            FindingSeverity.Error,
            message,
            [.. along, .. group.Where(id => !onPath.Contains(id))],
            group.Count,
            fix);
    }
}
