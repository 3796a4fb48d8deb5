using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Core.Reports;

/// <summary>What a report covers: the whole workspace, one session, or one task and its subtree.</summary>
/// <param name="SessionId">Only this session's tasks.</param>
/// <param name="SubtreeRootId">Only this task and its descendants.</param>
public sealed record ReportScope(string? SessionId = null, string? SubtreeRootId = null)
{
    /// <summary>The whole workspace.</summary>
    public static ReportScope Workspace { get; } = new();

    /// <summary>Throws <c>not_found</c> when the session or the subtree root does not exist.</summary>
    public async Task EnsureExistsAsync(IStoreUnit unit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        if (SessionId is not null && await unit.Sessions.GetAsync(SessionId, cancellationToken) is null)
        {
            throw Fail.NotFound("session_id", "session", SessionId, "List the sessions of this workspace with orchestrator_list_sessions.");
        }

        if (SubtreeRootId is not null && await unit.Tasks.GetAsync(SubtreeRootId, cancellationToken) is null)
        {
            throw Fail.NotFound("target_task_id", "task", SubtreeRootId);
        }
    }
}
