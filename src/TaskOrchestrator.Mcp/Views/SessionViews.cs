using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Reports;
using TaskOrchestrator.Core.Sessions;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Mcp.Results;
using TaskOrchestrator.Mcp.Workspaces;

namespace TaskOrchestrator.Mcp.Views;

/// <summary>Maps sessions, status reports and workspaces to views.</summary>
public static class SessionViews
{
    /// <summary>The workspace of a call.</summary>
    public static WorkspaceView Workspace(ToolContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var store = context.Workspace.Store;
        return new WorkspaceView(context.Workspace.Root, store.Workspace.Id, context.Resolved.Source, store.Location.Backend, store.Location.Location);
    }

    /// <summary>A session with its counts.</summary>
    public static SessionView Session(SessionRecord session, IReadOnlyDictionary<TaskItemStatus, int> counts, string? currentSessionId)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(counts);
        int total = counts.Values.Sum();
        int completed = counts.GetValueOrDefault(TaskItemStatus.Completed);
        return new SessionView(
            session.Id,
            session.Name,
            WireNames.Of(session.Status),
            session.ClientInfo,
            session.CreatedAt,
            session.LastActivityAt,
            ViewMapper.StatusCounts(counts),
            total,
            completed,
            total == 0 ? 0 : completed * 100 / total,
            session.Id == currentSessionId);
    }

    /// <summary>Where a session's work stands.</summary>
    public static SessionProgressView Progress(SessionOverview overview, string? currentSessionId)
    {
        ArgumentNullException.ThrowIfNull(overview);
        var report = overview.Report;
        return new SessionProgressView(
            Session(overview.Session, report.Counts, currentSessionId),
            [.. report.Active.Items.Select(ViewMapper.Ref)],
            report.Active.TotalCount,
            [.. report.Ready.Items.Select(ViewMapper.Ref)],
            report.Ready.TotalCount,
            Blocked(report),
            report.Blocked.TotalCount,
            Waiting(report),
            report.Waiting.TotalCount,
            [.. (report.RecentlyCompleted?.Items ?? []).Select(ViewMapper.Ref)],
            [.. overview.RecentEvents.Select(ViewMapper.Event)]);
    }

    /// <summary>Blocked tasks with their reasons.</summary>
    public static IReadOnlyList<BlockedTaskView> Blocked(StatusReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return [.. report.Blocked.Items.Select(t => new BlockedTaskView(ViewMapper.Ref(t), t.StatusReason))];
    }

    /// <summary>Waiting tasks with what they wait for.</summary>
    public static IReadOnlyList<WaitingTaskView> Waiting(StatusReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return [.. report.Waiting.Items.Select(w => new WaitingTaskView(ViewMapper.Ref(w.Task), [.. w.WaitingFor.Select(ViewMapper.Dependency)]))];
    }
}
