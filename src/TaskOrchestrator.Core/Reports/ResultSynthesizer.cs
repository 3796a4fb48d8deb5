using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Reports;

/// <summary>Collects the results of a task's subtree into one report.</summary>
public static class ResultSynthesizer
{
    /// <summary>The most timeline events a report carries.</summary>
    public const int TimelineLimit = 500;

    /// <summary>Synthesizes the subtree under <paramref name="parentTaskId"/> from one consistent read.</summary>
    public static async Task<SynthesisReport> SynthesizeAsync(IOrchestratorStore store, string parentTaskId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var unit = await store.BeginReadAsync(cancellationToken);
        var parent = await unit.Tasks.GetAsync(parentTaskId, cancellationToken)
            ?? throw Fail.NotFound("parent_task_id", "task", parentTaskId);
        var subtasks = await unit.Tasks.GetDescendantsAsync(parentTaskId, cancellationToken);
        var ids = subtasks.Select(t => t.Id).Prepend(parentTaskId).ToArray();

        var counts = subtasks.GroupBy(t => t.Status).ToDictionary(g => g.Key, g => g.Count());

        // Work archived after it completed (as session cleanup does) still counts as completed work.
        int completed = subtasks.Count(t => t.SatisfiesDependents);
        int ended = subtasks.Count(t => t.IsTerminal);

        var artifacts = await unit.Artifacts.GetForTasksAsync(ids, includeContent: false, cancellationToken);
        var timeline = await unit.Events.GetForTasksAsync(ids, TimelineLimit + 1, cancellationToken);
        var outcomes = subtasks.Prepend(parent)
            .Where(t => t.CompletedAt is not null && t.ResultSummary is not null)
            .OrderBy(t => t.CompletedAt)
            .ToArray();

        return new SynthesisReport
        {
            Parent = parent,
            Subtasks = subtasks,
            Counts = counts,
            SuccessRate = ended == 0 ? null : Math.Round((double)completed / ended, 4),
            CompletionRate = subtasks.Count == 0 ? 0 : Math.Round((double)completed / subtasks.Count, 4),
            Artifacts = artifacts,
            Outcomes = outcomes,
            Remaining = [.. subtasks.Where(t => !t.IsTerminal)],
            Timeline = timeline.Count > TimelineLimit ? [.. timeline.Take(TimelineLimit)] : timeline,
            TimelineTruncated = timeline.Count > TimelineLimit,
        };
    }
}
