using System.Globalization;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Core.Maintenance.Dependencies;

/// <summary>
/// Validates the dependency graph and the task tree of a workspace: cycles, dangling references,
/// work blocked by ended dependencies, orphaned subtrees and single points of failure, each with a
/// suggested fix, and a health score (<see cref="DependencyHealthScore"/>). Read-only.
/// </summary>
/// <remarks>
/// The graph is read whole with two set-based queries (every task's tree position and status, every
/// edge) and analysed in memory, because a cycle or a chain of dependents may leave the scope and come
/// back; findings are then kept when they involve a task of the scope. Titles are read in one more
/// query for the tasks the listed findings name.
/// </remarks>
public static class DependencyValidator
{
    /// <summary>Default single-point-of-failure threshold: a task at least this many open tasks wait on.</summary>
    public const int DefaultMinDependents = 5;

    /// <summary>Lowest threshold accepted; one dependent is an ordinary dependency, not a concentration of risk.</summary>
    public const int MinDependentsFloor = 2;

    /// <summary>Most findings listed per kind; the summary and the score count them all.</summary>
    public const int FindingsPerKind = 25;

    /// <summary>Most tasks listed per finding.</summary>
    public const int TasksPerFinding = 20;

    /// <summary>Edge visits allowed to count transitive dependents (see <see cref="SinglePointCounter"/>).</summary>
    public const long CountingBudget = 5_000_000;

    /// <summary>Analyses <paramref name="target"/> and scores it.</summary>
    public static async Task<DependencyReport> ValidateAsync(IOrchestratorStore store, MaintenanceTarget target, int minDependents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(target);
        target.Validate();
        if (minDependents < MinDependentsFloor)
        {
            throw Fail.Invalid(
                "min_dependents",
                $"min_dependents must be at least {MinDependentsFloor}, not {minDependents.ToString(CultureInfo.InvariantCulture)}.",
                $"Pass {DefaultMinDependents} (the default) or another whole number from {MinDependentsFloor} up.");
        }

        await using var unit = await store.BeginReadAsync(cancellationToken);
        await target.ValidateAsync(unit, cancellationToken);
        var graph = new TaskGraph(await unit.Tasks.GetAllNodesAsync(cancellationToken), await unit.Dependencies.GetAllAsync(cancellationToken));
        var scope = graph.ScopeOf(target);

        var counter = new SinglePointCounter(graph, CountingBudget);
        var drafts = ReferenceChecks.DependencyCycles(graph)
            .Concat(ReferenceChecks.ParentCycles(graph))
            .Concat(ReferenceChecks.DanglingEdges(graph))
            .Concat(ReferenceChecks.DanglingParents(graph))
            .Concat(StuckWorkChecks.BlockedByEndedWork(graph))
            .Concat(StuckWorkChecks.OrphanedSubtrees(graph))
            .Concat(counter.Find(minDependents, cancellationToken))
            .Where(d => scope is null || d.TaskIds.Any(scope.Contains))
            .ToList();

        var limits = new List<string>();
        if (counter.Uncounted > 0)
        {
            limits.Add(string.Create(CultureInfo.InvariantCulture,
                $"single_point_of_failure: the dependents of {counter.Uncounted} of {counter.Counted} depended-on tasks were not counted within the limit of {CountingBudget:N0} edge visits; those tasks are not reported."));
        }

        var summary = new List<KindSummary>();
        var listed = new List<FindingDraft>();
        foreach (var kind in Enum.GetValues<DependencyFindingKind>())
        {
            var ofKind = drafts.Where(d => d.Kind == kind).OrderBy(d => d.Rank).ThenBy(d => d.TaskIds[0], StringComparer.Ordinal).ThenBy(d => d.TaskIds[^1], StringComparer.Ordinal).ToList();
            var shown = ofKind.Take(FindingsPerKind).ToList();
            listed.AddRange(shown);
            summary.Add(new KindSummary(kind, ofKind.Count, shown.Count, DependencyHealthScore.Penalty(kind, ofKind.Count)));
            if (ofKind.Count > shown.Count)
            {
                limits.Add($"{WireNames.Of(kind)}: {ofKind.Count} found, the first {shown.Count} listed.");
            }
        }

        var mentioned = listed.SelectMany(d => d.TaskIds.Take(TasksPerFinding)).ToHashSet(StringComparer.Ordinal);
        var records = (await unit.Tasks.GetManyAsync(mentioned, cancellationToken)).ToDictionary(t => t.Id, StringComparer.Ordinal);
        var findings = listed.Select(d => new DependencyFinding(
            d.Kind,
            d.Severity,
            d.Message,
            [.. d.TaskIds.Take(TasksPerFinding).Select(id => records.TryGetValue(id, out var t) ? new TaskMention(id, t.Title, t.Status) : new TaskMention(id, null, null))],
            d.TasksInvolved,
            d.Fix)).ToList();

        int tasks = scope?.Count ?? graph.Nodes.Count;
        int edges = scope is null ? graph.Edges.Count : graph.Edges.Count(e => scope.Contains(e.TaskId) || scope.Contains(e.DependsOnId));
        return new DependencyReport(DependencyHealthScore.Score(summary.Select(s => s.Penalty)), findings, summary, tasks, edges, minDependents, limits);
    }
}
