using System.Text.Json.Nodes;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Maintenance.Dependencies;

/// <summary>Checks for open work that can never proceed or never roll up, although the data is consistent.</summary>
internal static class StuckWorkChecks
{
    /// <summary>A waiting task whose hard dependency ended without completing: it can never become ready.</summary>
    public static IEnumerable<FindingDraft> BlockedByEndedWork(TaskGraph graph)
    {
        foreach (var edge in graph.Edges.Where(e => e.Kind == DependencyKind.Hard))
        {
            if (!graph.ById.TryGetValue(edge.TaskId, out var task) || !graph.ById.TryGetValue(edge.DependsOnId, out var dependency)
                || !TaskGraph.IsWaiting(task.Status) || TaskGraph.IsOpen(dependency.Status) || dependency.SatisfiesDependents)
            {
                continue;
            }

            var status = WireNames.Of(dependency.Status);
            var reopen = dependency.Status == TaskItemStatus.Archived
                ? string.Empty
                : $", or reopen '{dependency.Id}' (orchestrator_update_task status='pending') to have it done again";
            yield return new FindingDraft(
                DependencyFindingKind.BlockedByEndedWork,
                FindingSeverity.Warning,
                $"Task '{task.Id}' waits for '{dependency.Id}', which is '{status}' and will not complete: it can never become ready.",
                [task.Id, dependency.Id],
                2,
                new SuggestedFix(
                    "orchestrator_update_task",
                    new JsonObject { ["task_id"] = task.Id, ["remove_dependencies"] = new JsonArray(dependency.Id) },
                    $"Remove the dependency so '{task.Id}' can become ready{reopen}, or cancel '{task.Id}' (orchestrator_cancel_task) if it makes no sense without '{dependency.Id}'."));
        }
    }

    /// <summary>
    /// An open task whose parent is cancelled, archived or missing, reported once per such task (the
    /// root of the orphaned subtree) with the open tasks under it.
    /// </summary>
    public static IEnumerable<FindingDraft> OrphanedSubtrees(TaskGraph graph)
    {
        foreach (var root in graph.Nodes.Where(n => n.ParentId is not null && TaskGraph.IsOpen(n.Status)))
        {
            bool parentExists = graph.ById.TryGetValue(root.ParentId!, out var parent);
            if (parentExists && parent!.Status is not (TaskItemStatus.Cancelled or TaskItemStatus.Archived))
            {
                continue;
            }

            var openBelow = graph.Descendants(root.Id).Where(n => TaskGraph.IsOpen(n.Status)).Select(n => n.Id).ToArray();
            var parentState = parentExists ? $"is '{WireNames.Of(parent!.Status)}'" : "no longer exists";
            var under = openBelow.Length == 0 ? "it" : $"it and the {Text.Count(openBelow.Length, "open subtask")} under it";
            var ended = parentExists ? WireNames.Of(parent!.Status) : "removed";
            yield return new FindingDraft(
                DependencyFindingKind.OrphanedSubtree,
                parentExists ? FindingSeverity.Warning : FindingSeverity.Error,
                $"Task '{root.Id}' is still '{WireNames.Of(root.Status)}' but its parent '{root.ParentId}' {parentState}: {under} can never roll up.",
                [root.Id, root.ParentId!, .. openBelow],
                2 + openBelow.Length,
                new SuggestedFix(
                    "orchestrator_cancel_task",
                    new JsonObject { ["task_id"] = root.Id, ["cascade"] = true, ["reason"] = $"parent {root.ParentId} was {ended}" },
                    $"Cancel '{root.Id}' with its open subtasks; to keep the work instead, move it with orchestrator_update_task parent_task_id=<a live task>, or clear_fields=['parent_task_id'] to make it top-level."));
        }
    }
}
