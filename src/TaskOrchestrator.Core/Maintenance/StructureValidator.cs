using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Maintenance;

/// <summary>Checks the store and the task graph for inconsistencies, at three depths.</summary>
public static class StructureValidator
{
    private const int MaxCyclesReported = 20;
    private const int ArtifactBatch = 200;

    /// <summary>Runs the checks of <paramref name="level"/>, reporting findings that touch <paramref name="target"/>.</summary>
    public static async Task<StructureReport> ValidateAsync(IOrchestratorStore store, ValidationLevel level, MaintenanceTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(target);
        target.Validate();

        var findings = new List<StructureFinding>();
        var checks = new List<string> { level == ValidationLevel.Thorough ? "store_integrity_full" : "store_integrity_quick" };
        foreach (var problem in await store.Diagnostics.CheckIntegrityAsync(full: level == ValidationLevel.Thorough, cancellationToken))
        {
            findings.Add(new StructureFinding(checks[0], "error", problem, [], "Restore the workspace database from a backup; see docs/operations.md."));
        }

        await using var unit = await store.BeginReadAsync(cancellationToken);
        await target.ValidateAsync(unit, cancellationToken);
        var nodes = await unit.Tasks.GetAllNodesAsync(cancellationToken);
        var edges = await unit.Dependencies.GetAllAsync(cancellationToken);
        var byId = nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);

        checks.AddRange(["dangling_references", "dependency_cycles"]);
        CheckDanglingReferences(nodes, edges, byId, findings);
        CheckCycles(edges, findings);

        if (level >= ValidationLevel.Standard)
        {
            checks.AddRange(["ancestor_dependencies", "parent_child_status", "unsatisfiable_dependencies"]);
            CheckAncestorDependencies(edges, byId, findings);
            CheckParentChildStatus(nodes, byId, findings);
            CheckUnsatisfiableDependencies(edges, byId, findings);
        }

        int verified = 0;
        if (level == ValidationLevel.Thorough)
        {
            checks.Add("artifact_hashes");
            verified = await VerifyArtifactHashesAsync(unit, findings, cancellationToken);
        }

        if (target.Scope != MaintenanceScope.Workspace)
        {
            var subtree = await target.SubtreeIdsAsync(unit, cancellationToken);
            var inScope = nodes
                .Where(n => target.Scope == MaintenanceScope.Subtree ? subtree!.Contains(n.Id) : n.SessionId == target.SessionId)
                .Select(n => n.Id)
                .ToHashSet(StringComparer.Ordinal);
            findings = [.. findings.Where(f => f.TaskIds.Count == 0 || f.TaskIds.Any(inScope.Contains))];
            return new StructureReport(level, checks, findings, inScope.Count, edges.Count(e => inScope.Contains(e.TaskId) || inScope.Contains(e.DependsOnId)), verified);
        }

        return new StructureReport(level, checks, findings, nodes.Count, edges.Count, verified);
    }

    private static void CheckDanglingReferences(IReadOnlyList<TaskNode> nodes, IReadOnlyList<TaskDependency> edges, Dictionary<string, TaskNode> byId, List<StructureFinding> findings)
    {
        foreach (var node in nodes.Where(n => n.ParentId is not null && !byId.ContainsKey(n.ParentId)))
        {
            findings.Add(new StructureFinding("dangling_references", "error", $"Task '{node.Id}' names parent '{node.ParentId}', which does not exist.", [node.Id],
                "Move the task under an existing parent or clear its parent with orchestrator_update_task (clear_fields=['parent_task_id'])."));
        }

        foreach (var edge in edges.Where(e => !byId.ContainsKey(e.TaskId) || !byId.ContainsKey(e.DependsOnId)))
        {
            findings.Add(new StructureFinding("dangling_references", "error", $"Dependency '{edge.TaskId}' -> '{edge.DependsOnId}' points at a task that does not exist.", [edge.TaskId, edge.DependsOnId],
                "Remove it with orchestrator_update_task remove_dependencies."));
        }
    }

    private static void CheckCycles(IReadOnlyList<TaskDependency> edges, List<StructureFinding> findings)
    {
        var remaining = edges.ToList();
        for (int found = 0; found < MaxCyclesReported; found++)
        {
            var cycle = DependencyGraph.FindCycle(remaining);
            if (cycle.Count == 0)
            {
                return;
            }

            findings.Add(new StructureFinding("dependency_cycles", "error", $"Dependencies form a cycle: {string.Join(" -> ", cycle)}.", [.. cycle.Distinct()],
                "Remove one dependency of the cycle with orchestrator_update_task remove_dependencies."));

            // Drop the closing edge and look again, so that every independent cycle is reported.
            remaining.RemoveAll(e => e.TaskId == cycle[^2] && e.DependsOnId == cycle[^1]);
        }
    }

    private static void CheckAncestorDependencies(IReadOnlyList<TaskDependency> edges, Dictionary<string, TaskNode> byId, List<StructureFinding> findings)
    {
        foreach (var edge in edges)
        {
            for (var ancestor = byId.GetValueOrDefault(edge.TaskId)?.ParentId; ancestor is not null; ancestor = byId.GetValueOrDefault(ancestor)?.ParentId)
            {
                if (ancestor == edge.DependsOnId)
                {
                    findings.Add(new StructureFinding("ancestor_dependencies", "error", $"Task '{edge.TaskId}' depends on its ancestor '{ancestor}', which cannot end before its subtasks: neither can proceed.", [edge.TaskId, ancestor],
                        "Remove the dependency; depend on a sibling instead."));
                    break;
                }
            }
        }
    }

    private static void CheckParentChildStatus(IReadOnlyList<TaskNode> nodes, Dictionary<string, TaskNode> byId, List<StructureFinding> findings)
    {
        foreach (var group in nodes.Where(n => n.ParentId is not null && !TaskTransitions.IsTerminal(n.Status)).GroupBy(n => n.ParentId!))
        {
            if (!byId.TryGetValue(group.Key, out var parent) || !TaskTransitions.IsTerminal(parent.Status))
            {
                continue;
            }

            var open = group.Select(n => n.Id).ToArray();
            bool completed = parent.Status == TaskItemStatus.Completed;
            findings.Add(new StructureFinding(
                "parent_child_status",
                completed ? "error" : "warning",
                $"Task '{parent.Id}' is '{WireNames.Of(parent.Status)}' but {open.Length} of its subtasks are still open: {string.Join(", ", open.Take(20))}.",
                [parent.Id, .. open],
                completed
                    ? "Reopen the parent (status='pending') until its subtasks end, or cancel the subtasks."
                    : "Run orchestrator_maintenance_coordinator action='scan_cleanup' to archive the orphaned subtasks, or move them to another parent."));
        }
    }

    private static void CheckUnsatisfiableDependencies(IReadOnlyList<TaskDependency> edges, Dictionary<string, TaskNode> byId, List<StructureFinding> findings)
    {
        foreach (var edge in edges.Where(e => e.Kind == DependencyKind.Hard))
        {
            if (!byId.TryGetValue(edge.TaskId, out var task) || !byId.TryGetValue(edge.DependsOnId, out var dependency) || dependency.SatisfiesDependents)
            {
                continue;
            }

            if (task.Status == TaskItemStatus.Pending && dependency.Status is TaskItemStatus.Cancelled or TaskItemStatus.Failed or TaskItemStatus.Archived)
            {
                findings.Add(new StructureFinding("unsatisfiable_dependencies", "warning", $"Task '{task.Id}' waits for '{dependency.Id}', which is '{WireNames.Of(dependency.Status)}' and will not complete: it can never become ready.", [task.Id, dependency.Id],
                    "Remove the dependency, reopen the dependency, or cancel the waiting task."));
            }
            else if (task.Status == TaskItemStatus.Completed)
            {
                findings.Add(new StructureFinding("unsatisfiable_dependencies", "warning", $"Task '{task.Id}' is completed although its dependency '{dependency.Id}' is '{WireNames.Of(dependency.Status)}' (it was reopened or ended without completing after).", [task.Id, dependency.Id],
                    "Check whether the completed work is still valid; reopen it if it relied on the dependency's result."));
            }
        }
    }

    private static async Task<int> VerifyArtifactHashesAsync(IStoreUnit unit, List<StructureFinding> findings, CancellationToken cancellationToken)
    {
        int verified = 0;
        string? after = null;
        while (true)
        {
            var batch = await unit.Artifacts.GetAfterAsync(after, ArtifactBatch, includeContent: true, cancellationToken);
            foreach (var artifact in batch)
            {
                verified++;
                var actual = ContentHash.Of(artifact.Content ?? string.Empty);
                if (actual != artifact.ContentHash)
                {
                    findings.Add(new StructureFinding("artifact_hashes", "error", $"Artifact '{artifact.Id}' of task '{artifact.TaskId}' has content hashing to {actual}, not the stored {artifact.ContentHash}: it was altered outside the server.", [artifact.TaskId],
                        "Restore the workspace database from a backup, or have the task re-done."));
                }
            }

            if (batch.Count < ArtifactBatch)
            {
                return verified;
            }

            after = batch[^1].Id;
        }
    }
}
