namespace TaskOrchestrator.Core.Maintenance;

/// <summary>What a cleanup scan found and changed.</summary>
/// <param name="Stale">In-progress tasks without activity for longer than the threshold.</param>
/// <param name="Orphans">Open tasks whose parent has been cancelled, archived or removed.</param>
/// <param name="DryRun">True when nothing was changed.</param>
/// <param name="Changed">Tasks changed (0 on a dry run).</param>
public sealed record CleanupReport(IReadOnlyList<CleanupItem> Stale, IReadOnlyList<CleanupItem> Orphans, bool DryRun, int Changed);
