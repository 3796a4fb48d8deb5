using System.Globalization;
using System.Text.Json.Nodes;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Maintenance;

/// <summary>
/// Finds work that is stuck (in progress with no activity) or stranded (open under a parent that has
/// ended) and, unless it is a dry run, resets or archives it.
/// </summary>
public sealed class CleanupScanner
{
    /// <summary>The most tasks one scan handles of each kind.</summary>
    public const int ScanLimit = 1_000;

    private readonly TimeProvider _time;

    /// <summary>Creates the scanner.</summary>
    public CleanupScanner(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>Scans <paramref name="target"/> and applies the fixes in one unit unless <paramref name="dryRun"/>.</summary>
    public async Task<CleanupReport> ScanAsync(IOrchestratorStore store, MaintenanceTarget target, TimeSpan staleAfter, bool dryRun, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(actor);
        target.Validate();

        await using var unit = dryRun ? await store.BeginReadAsync(cancellationToken) : await store.BeginWriteAsync(cancellationToken);
        var now = _time.Now();
        await target.ValidateAsync(unit, cancellationToken);
        var subtree = await target.SubtreeIdsAsync(unit, cancellationToken);

        var staleCutoff = now - staleAfter;
        var stale = (await unit.Tasks.GetStaleInProgressAsync(staleCutoff, ScanLimit, cancellationToken))
            .Where(t => target.Contains(t, subtree))
            .Select(t => new CleanupItem(
                t,
                $"in progress by '{t.AssignedAgent ?? "(unnamed)"}' with no change since {t.UpdatedAt.ToString("u", CultureInfo.InvariantCulture)} (threshold {staleAfter})",
                "reset_to_pending"))
            .ToList();
        var orphans = (await unit.Tasks.GetOrphansAsync(ScanLimit, cancellationToken))
            .Where(t => target.Contains(t, subtree))
            .Select(t => t.Status == TaskItemStatus.InProgress
                ? new CleanupItem(t, $"parent '{t.ParentId}' has ended, but the task is in progress by '{t.AssignedAgent ?? "(unnamed)"}'; left for its agent to finish or cancel", "reported")
                : new CleanupItem(t, $"parent '{t.ParentId}' has been cancelled, archived or removed, so this work can never roll up", "archived"))
            .ToList();

        int changed = 0;
        if (!dryRun)
        {
            foreach (var item in stale)
            {
                var task = new TaskItem(item.Task);
                var change = task.Reopen($"reset by maintenance: {item.Problem}", now);
                await SaveAsync(unit, item.Task, task, change, actor, now, cancellationToken);
                changed++;
            }

            foreach (var item in orphans.Where(o => o.Action == "archived"))
            {
                var task = new TaskItem(item.Task);
                var change = task.Archive($"archived by maintenance: {item.Problem}", now);
                await SaveAsync(unit, item.Task, task, change, actor, now, cancellationToken);
                changed++;
            }

            await unit.CommitAsync(cancellationToken);
        }

        return new CleanupReport(stale, orphans, dryRun, changed);
    }

    private static async Task SaveAsync(IStoreUnit unit, TaskRecord original, TaskItem task, StatusChange change, Actor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await unit.Tasks.UpdateAsync(task.Current, original, cancellationToken);
        await unit.Events.AppendAsync(TaskEvents.StatusChanged(original, change, actor, now, new JsonObject { ["maintenance"] = "scan_cleanup" }), cancellationToken);
    }
}
