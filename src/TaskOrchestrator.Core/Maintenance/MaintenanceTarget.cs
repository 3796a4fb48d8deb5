using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Maintenance;

/// <summary>A resolved scope: which tasks a maintenance action may touch.</summary>
/// <param name="Scope">The scope kind.</param>
/// <param name="SessionId">The session, for <see cref="MaintenanceScope.Session"/>.</param>
/// <param name="RootTaskId">The subtree root, for <see cref="MaintenanceScope.Subtree"/>.</param>
public sealed record MaintenanceTarget(MaintenanceScope Scope, string? SessionId, string? RootTaskId)
{
    /// <summary>Checks that the scope names what it needs.</summary>
    public void Validate()
    {
        if (Scope == MaintenanceScope.Session && SessionId is null)
        {
            throw Fail.Missing("session_id", "scope='session' needs a session: pass session_id or initialize a session on this connection first.");
        }

        if (Scope == MaintenanceScope.Subtree && RootTaskId is null)
        {
            throw Fail.Missing("target_task_id", "scope='subtree' needs target_task_id, the root of the subtree.");
        }
    }

    /// <summary>The same scope as a report scope.</summary>
    public Reports.ReportScope ReportScope => Scope switch
    {
        MaintenanceScope.Session => new Reports.ReportScope(SessionId),
        MaintenanceScope.Subtree => new Reports.ReportScope(null, RootTaskId),
        _ => Reports.ReportScope.Workspace,
    };

    /// <summary>Checks the scope names what it needs and that the session or subtree root exists.</summary>
    public async Task ValidateAsync(IStoreUnit unit, CancellationToken cancellationToken)
    {
        Validate();
        await ReportScope.EnsureExistsAsync(unit, cancellationToken);
    }

    /// <summary>The ids of the subtree, or null when the scope is not a subtree.</summary>
    public async Task<HashSet<string>?> SubtreeIdsAsync(IStoreUnit unit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        if (Scope != MaintenanceScope.Subtree)
        {
            return null;
        }

        var root = await unit.Tasks.GetAsync(RootTaskId!, cancellationToken)
            ?? throw Fail.NotFound("target_task_id", "task", RootTaskId!);
        var ids = (await unit.Tasks.GetDescendantsAsync(root.Id, cancellationToken)).Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        ids.Add(root.Id);
        return ids;
    }

    /// <summary>True when <paramref name="task"/> lies in the scope.</summary>
    public bool Contains(TaskRecord task, HashSet<string>? subtree)
    {
        ArgumentNullException.ThrowIfNull(task);
        return Scope switch
        {
            MaintenanceScope.Session => task.SessionId == SessionId,
            MaintenanceScope.Subtree => subtree!.Contains(task.Id),
            _ => true,
        };
    }
}
