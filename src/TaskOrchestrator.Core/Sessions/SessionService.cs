using System.Text.Json.Nodes;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Reports;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Sessions;

/// <summary>Creates, resumes, reports on and cleans up sessions.</summary>
public sealed class SessionService
{
    private const int ListBatch = 500;
    private readonly TimeProvider _time;
    private readonly IdGenerator _ids;

    /// <summary>Creates the service.</summary>
    public SessionService(TimeProvider time, IdGenerator ids)
    {
        _time = time;
        _ids = ids;
    }

    /// <summary>Creates and stores a session inside <paramref name="unit"/>. The caller commits.</summary>
    public async Task<SessionRecord> CreateAsync(IStoreUnit unit, string workspaceId, string name, string? clientInfo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw Fail.Missing("session_name", "Name the session after the work it is for.");
        }

        if (name.Length > Limits.SessionNameLength)
        {
            throw Fail.TooLarge("session_name", $"'session_name' is {name.Length} characters long.", $"{Limits.SessionNameLength} characters");
        }

        var now = _time.Now();
        var session = new SessionRecord
        {
            Id = _ids.NewSessionId(),
            WorkspaceId = workspaceId,
            Name = name.Trim(),
            ClientInfo = clientInfo,
            CreatedAt = now,
            LastActivityAt = now,
        };
        await unit.Sessions.InsertAsync(session, cancellationToken);
        await unit.Events.AppendAsync(
            TaskEvents.Of(EventKinds.SessionCreated, workspaceId, null, new Actor(null, session.Id, clientInfo), now, new JsonObject { ["name"] = session.Name }),
            cancellationToken);
        return session;
    }

    /// <summary>Reactivates a session if it was archived, records the resumption and returns where its work stands.</summary>
    public async Task<SessionOverview> ResumeAsync(IOrchestratorStore store, string sessionId, Actor actor, int listLimit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(actor);
        bool reactivated;
        await using (var unit = await store.BeginWriteAsync(cancellationToken))
        {
            var session = await RequireAsync(unit, sessionId, cancellationToken);
            var now = _time.Now();
            reactivated = session.Status == SessionStatus.Archived;
            if (reactivated)
            {
                await unit.Sessions.UpdateAsync(session with { Status = SessionStatus.Active, Version = session.Version + 1, LastActivityAt = now }, session.Version, cancellationToken);
            }
            else
            {
                await unit.Sessions.TouchAsync(sessionId, now, cancellationToken);
            }

            await unit.Events.AppendAsync(
                TaskEvents.Of(EventKinds.SessionResumed, store.Workspace.Id, null, actor with { SessionId = sessionId }, now, new JsonObject { ["reactivated"] = reactivated }),
                cancellationToken);
            await unit.CommitAsync(cancellationToken);
        }

        var overview = await GetOverviewAsync(store, sessionId, listLimit, cancellationToken);
        return overview with { Reactivated = reactivated };
    }

    /// <summary>Where the work of a session stands, read-only.</summary>
    public static async Task<SessionOverview> GetOverviewAsync(IOrchestratorStore store, string sessionId, int listLimit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        SessionRecord session;
        IReadOnlyList<EventRecord> events;
        await using (var unit = await store.BeginReadAsync(cancellationToken))
        {
            session = await RequireAsync(unit, sessionId, cancellationToken);
            events = await unit.Events.GetRecentAsync(sessionId, 20, cancellationToken);
        }

        var report = await StatusReporter.ReportAsync(store, sessionId, includeCompleted: true, listLimit, cancellationToken);
        return new SessionOverview(session, report, events, false);
    }

    /// <summary>A page of sessions with their task counts.</summary>
    public static async Task<(IReadOnlyList<SessionTaskCounts> Items, int TotalCount)> ListAsync(IOrchestratorStore store, SessionStatus? status, int limit, int offset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var unit = await store.BeginReadAsync(cancellationToken);
        return await unit.Sessions.ListAsync(status, limit, offset, cancellationToken);
    }

    /// <summary>
    /// Applies the cleanup rules to every active session older than <paramref name="olderThan"/>
    /// without activity, except <paramref name="keepSessionId"/> (the caller's own session); on a dry
    /// run, only reports what would happen.
    /// </summary>
    public async Task<IReadOnlyList<SessionCleanupItem>> CleanupAsync(IOrchestratorStore store, SessionCleanupType type, TimeSpan olderThan, bool dryRun, Actor actor, string? keepSessionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(actor);
        await using var unit = dryRun ? await store.BeginReadAsync(cancellationToken) : await store.BeginWriteAsync(cancellationToken);
        var now = _time.Now();
        var cutoff = now - olderThan;
        var items = new List<SessionCleanupItem>();

        foreach (var candidate in await ListAllActiveAsync(unit, cancellationToken))
        {
            if (candidate.Session.LastActivityAt > cutoff || candidate.Session.Id == keepSessionId)
            {
                continue;
            }

            var item = Match(candidate, type);
            if (item is null)
            {
                continue;
            }

            if (!dryRun)
            {
                item = await ApplyAsync(unit, item, actor, now, cancellationToken);
            }

            items.Add(item);
        }

        if (!dryRun)
        {
            await unit.CommitAsync(cancellationToken);
        }

        return items;
    }

    private static SessionCleanupItem? Match(SessionTaskCounts candidate, SessionCleanupType type)
    {
        bool wants(SessionCleanupType rule) => type == rule || type == SessionCleanupType.All;
        int open = candidate.Counts.Where(c => !TaskTransitions.IsTerminal(c.Key)).Sum(c => c.Value);
        if (candidate.Total == 0 && wants(SessionCleanupType.Empty))
        {
            return new SessionCleanupItem(candidate.Session, 0, "empty", "deleted", 0);
        }

        int archivable = candidate.Total - candidate.Counts.GetValueOrDefault(TaskItemStatus.Archived);
        if (candidate.Total > 0 && open == 0 && wants(SessionCleanupType.Completed))
        {
            return new SessionCleanupItem(candidate.Session, candidate.Total, "completed", "archived_with_tasks", archivable);
        }

        return wants(SessionCleanupType.Inactive)
            ? new SessionCleanupItem(candidate.Session, candidate.Total, "inactive", "archived", 0)
            : null;
    }

    private static async Task<SessionCleanupItem> ApplyAsync(IStoreUnit unit, SessionCleanupItem item, Actor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var session = item.Session;
        if (item.Action == "deleted")
        {
            await unit.Sessions.DeleteAsync(session.Id, cancellationToken);
            await unit.Events.AppendAsync(TaskEvents.Of(EventKinds.SessionDeleted, session.WorkspaceId, null, actor, now, new JsonObject { ["session_id"] = session.Id, ["name"] = session.Name, ["rule"] = item.Rule }), cancellationToken);
            return item;
        }

        int archived = 0;
        if (item.Action == "archived_with_tasks")
        {
            archived = await ArchiveEndedTasksAsync(unit, session.Id, actor, now, cancellationToken);
        }

        await unit.Sessions.UpdateAsync(session with { Status = SessionStatus.Archived, Version = session.Version + 1 }, session.Version, cancellationToken);
        await unit.Events.AppendAsync(TaskEvents.Of(EventKinds.SessionArchived, session.WorkspaceId, null, actor, now, new JsonObject { ["session_id"] = session.Id, ["rule"] = item.Rule, ["tasks_archived"] = archived }), cancellationToken);
        return item with { TasksArchived = archived };
    }

    private static async Task<int> ArchiveEndedTasksAsync(IStoreUnit unit, string sessionId, Actor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        int archived = 0;
        var query = new TaskQuery { SessionId = sessionId, Statuses = [TaskItemStatus.Completed, TaskItemStatus.Failed, TaskItemStatus.Cancelled], Limit = Limits.QueryPageSize };
        while (true)
        {
            // Each pass archives the page it read, so the next query starts again from offset 0.
            var page = await unit.Tasks.QueryAsync(query, cancellationToken);
            foreach (var record in page.Items)
            {
                var task = new TaskItem(record);
                var change = task.Archive("archived with its session", now);
                await unit.Tasks.UpdateAsync(task.Current, record, cancellationToken);
                await unit.Events.AppendAsync(TaskEvents.StatusChanged(record, change, actor, now), cancellationToken);
                archived++;
            }

            if (page.Items.Count < query.Limit)
            {
                return archived;
            }
        }
    }

    private static async Task<List<SessionTaskCounts>> ListAllActiveAsync(IStoreUnit unit, CancellationToken cancellationToken)
    {
        var all = new List<SessionTaskCounts>();
        for (int offset = 0; ; offset += ListBatch)
        {
            var (items, total) = await unit.Sessions.ListAsync(SessionStatus.Active, ListBatch, offset, cancellationToken);
            all.AddRange(items);
            if (all.Count >= total || items.Count == 0)
            {
                return all;
            }
        }
    }

    private static async Task<SessionRecord> RequireAsync(IStoreUnit unit, string sessionId, CancellationToken cancellationToken) =>
        await unit.Sessions.GetAsync(sessionId, cancellationToken)
            ?? throw Fail.NotFound("session_id", "session", sessionId, "List the sessions of this workspace with orchestrator_list_sessions.");
}
