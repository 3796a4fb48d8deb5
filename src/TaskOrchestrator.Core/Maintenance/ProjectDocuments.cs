using System.Text;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Reports;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Maintenance;

/// <summary>
/// The markdown documents the maintenance coordinator writes into a workspace: a status document of
/// the task tree, and a handover for the next agent or person picking the work up.
/// </summary>
public static class ProjectDocuments
{
    /// <summary>The most tasks a document lists individually.</summary>
    public const int TaskLimit = 2_000;

    private const int RecentEventsScanned = 10_000;

    /// <summary>A status document of the tasks in <paramref name="target"/>, as a tree with outcomes.</summary>
    public static async Task<string> DocumentationAsync(IOrchestratorStore store, MaintenanceTarget target, DateTimeOffset generatedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(target);
        target.Validate();
        var report = await StatusReporter.ReportAsync(store, target.ReportScope, includeCompleted: false, 20, cancellationToken);
        var tasks = await LoadScopeAsync(store, target, cancellationToken);

        var text = new StringBuilder();
        text.AppendLine("# Task status").AppendLine();
        text.Line($"Workspace `{store.Workspace.RootPath}` · scope {Describe(target)} · generated {MarkdownText.Time(generatedAt)}").AppendLine();
        text.AppendLine("## Counts").AppendLine();
        var counts = tasks.Items.GroupBy(t => t.Status).OrderBy(g => g.Key).ToArray();
        foreach (var group in counts)
        {
            text.Line($"- {WireNames.Of(group.Key)}: {group.Count()}");
        }

        text.Line($"- total in scope: {tasks.Items.Count}{(tasks.Truncated ? $" (the first {TaskLimit} are listed)" : string.Empty)}").AppendLine();
        text.AppendLine("## Task tree").AppendLine();
        var byParent = tasks.Items.ToLookup(t => t.ParentId ?? string.Empty);
        var inScope = tasks.Items.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var root in tasks.Items.Where(t => t.ParentId is null || !inScope.Contains(t.ParentId)))
        {
            AppendTree(text, root, byParent, 0);
        }

        text.AppendLine().AppendLine("## Ready to start").AppendLine();
        AppendList(text, report.Ready.Items, report.Ready.TotalCount, t => string.Empty);
        text.AppendLine().AppendLine("## Blocked").AppendLine();
        AppendList(text, report.Blocked.Items, report.Blocked.TotalCount, t => $": {MarkdownText.Inline(t.StatusReason, 160)}");
        return text.ToString();
    }

    /// <summary>A handover: what is in flight, what is next, what is stuck and what was recently finished.</summary>
    public static async Task<string> HandoverAsync(IOrchestratorStore store, MaintenanceTarget target, DateTimeOffset generatedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(target);
        target.Validate();
        string? sessionId = target.Scope == MaintenanceScope.Session ? target.SessionId : null;
        var report = await StatusReporter.ReportAsync(store, target.ReportScope, includeCompleted: true, 25, cancellationToken);
        IReadOnlyList<Events.EventRecord> events;
        await using (var unit = await store.BeginReadAsync(cancellationToken))
        {
            if (target.Scope == MaintenanceScope.Subtree)
            {
                var ids = (await unit.Tasks.GetDescendantsAsync(target.RootTaskId!, cancellationToken)).Select(t => t.Id).Append(target.RootTaskId!).ToArray();
                events = [.. (await unit.Events.GetForTasksAsync(ids, RecentEventsScanned, cancellationToken)).OrderByDescending(e => e.Sequence).Take(30)];
            }
            else
            {
                events = await unit.Events.GetRecentAsync(sessionId, 30, cancellationToken);
            }
        }

        var text = new StringBuilder();
        text.AppendLine("# Handover").AppendLine();
        text.Line($"Workspace `{store.Workspace.RootPath}` · scope {Describe(target)} · generated {MarkdownText.Time(generatedAt)}").AppendLine();
        text.AppendLine("## How to pick this up").AppendLine();
        text.AppendLine("1. Call `orchestrator_initialize_session` (or `orchestrator_resume_session` with the session id below) in this workspace.");
        text.AppendLine("2. Finish or release the tasks in progress listed below; each names the agent that holds it.");
        text.AppendLine("3. Take ready tasks in the order listed with `orchestrator_execute_task`, and report each with `orchestrator_complete_task`.");
        text.AppendLine("4. Resolve blocked tasks (their reasons are given) and unblock them with `orchestrator_update_task status='pending'`.").AppendLine();
        if (sessionId is not null)
        {
            text.Line($"Session: `{sessionId}`").AppendLine();
        }

        text.AppendLine("## Progress").AppendLine();
        foreach (var (status, count) in report.Counts.OrderBy(c => c.Key))
        {
            text.Line($"- {WireNames.Of(status)}: {count}");
        }

        text.AppendLine().AppendLine("## In progress").AppendLine();
        AppendList(text, report.Active.Items, report.Active.TotalCount, t => $" — held by `{t.AssignedAgent ?? "(unnamed)"}` since {MarkdownText.Time(t.StartedAt)}");
        text.AppendLine().AppendLine("## Next: ready tasks in hand-out order").AppendLine();
        AppendList(text, report.Ready.Items, report.Ready.TotalCount, t => $" — {WireNames.Of(t.Priority)} priority, {WireNames.Of(t.Complexity)}, {t.SpecialistType}");
        text.AppendLine().AppendLine("## Blocked").AppendLine();
        AppendList(text, report.Blocked.Items, report.Blocked.TotalCount, t => $": {MarkdownText.Inline(t.StatusReason, 200)}");
        text.AppendLine().AppendLine("## Waiting for dependencies").AppendLine();
        AppendList(text, report.Waiting.Items.Select(w => w.Task).ToArray(), report.Waiting.TotalCount, t =>
        {
            var waiting = report.Waiting.Items.First(w => w.Task.Id == t.Id).WaitingFor;
            return $" — waits for {string.Join(", ", waiting.Select(d => $"`{d.DependsOnId}` ({WireNames.Of(d.DependsOnStatus)})"))}";
        });
        text.AppendLine().AppendLine("## Recently completed").AppendLine();
        if (report.RecentlyCompleted is not { Items.Count: > 0 })
        {
            text.AppendLine("None.");
        }

        foreach (var task in report.RecentlyCompleted?.Items ?? [])
        {
            text.Line($"- **{MarkdownText.Inline(task.Title)}** (`{task.Id}`, {MarkdownText.Time(task.CompletedAt)}): {MarkdownText.Inline(task.ResultSummary, 300)}");
        }

        text.AppendLine().AppendLine("## Recent activity").AppendLine();
        if (events.Count == 0)
        {
            text.AppendLine("None.");
        }

        foreach (var e in events)
        {
            var change = e.From is null && e.To is null ? string.Empty : $" {e.From ?? "∅"} → {e.To ?? "∅"}";
            text.Line($"- {MarkdownText.Time(e.At)} {e.Kind}{change} {(e.TaskId is null ? string.Empty : $"`{e.TaskId}`")} by {MarkdownText.Inline(e.Actor, 60)}");
        }

        return text.ToString();
    }

    private static async Task<(IReadOnlyList<TaskRecord> Items, bool Truncated)> LoadScopeAsync(IOrchestratorStore store, MaintenanceTarget target, CancellationToken cancellationToken)
    {
        await using var unit = await store.BeginReadAsync(cancellationToken);
        if (target.Scope == MaintenanceScope.Subtree)
        {
            var root = await unit.Tasks.GetAsync(target.RootTaskId!, cancellationToken)
                ?? throw Errors.Fail.NotFound("target_task_id", "task", target.RootTaskId!);
            var all = (await unit.Tasks.GetDescendantsAsync(root.Id, cancellationToken)).Prepend(root).ToArray();
            return (all.Take(TaskLimit).ToArray(), all.Length > TaskLimit);
        }

        var items = new List<TaskRecord>();
        var query = new TaskQuery { SessionId = target.SessionId, Limit = Limits.QueryPageSize, Sort = TaskSort.CreatedAsc };
        while (items.Count < TaskLimit)
        {
            var page = await unit.Tasks.QueryAsync(query with { Offset = items.Count }, cancellationToken);
            items.AddRange(page.Items);
            if (items.Count >= page.TotalCount || page.Items.Count == 0)
            {
                return (items, false);
            }
        }

        return (items, true);
    }

    private static void AppendTree(StringBuilder text, TaskRecord task, ILookup<string, TaskRecord> byParent, int depth)
    {
        var indent = new string(' ', depth * 2);
        var outcome = task.ResultSummary is null ? string.Empty : $" — {MarkdownText.Inline(task.ResultSummary, 160)}";
        text.Line($"{indent}- [{WireNames.Of(task.Status)}] **{MarkdownText.Inline(task.Title)}** (`{task.Id}`, {task.SpecialistType}){outcome}");
        foreach (var child in byParent[task.Id])
        {
            AppendTree(text, child, byParent, depth + 1);
        }
    }

    private static void AppendList(StringBuilder text, IReadOnlyList<TaskRecord> items, int total, Func<TaskRecord, string> suffix)
    {
        if (items.Count == 0)
        {
            text.AppendLine("None.");
            return;
        }

        foreach (var task in items)
        {
            text.Line($"- {MarkdownText.Inline(task.Title)} (`{task.Id}`){suffix(task)}");
        }

        if (total > items.Count)
        {
            text.Line($"- … and {total - items.Count} more");
        }
    }

    private static string Describe(MaintenanceTarget target) => target.Scope switch
    {
        MaintenanceScope.Session => $"session `{target.SessionId}`",
        MaintenanceScope.Subtree => $"subtree of `{target.RootTaskId}`",
        _ => "whole workspace",
    };
}
