using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Sessions;
using TaskOrchestrator.Mcp.Results;
using TaskOrchestrator.Mcp.Validation;
using TaskOrchestrator.Mcp.Views;
using TaskOrchestrator.Mcp.Workspaces;

namespace TaskOrchestrator.Mcp.Tools;

/// <summary>Session tools: start, list, resume, inspect and clean up working sessions.</summary>
[McpServerToolType]
public sealed class SessionTools
{
    private const int ListLimit = 25;

    /// <summary>The largest page orchestrator_list_sessions returns.</summary>
    public const int MaxPage = 200;
    private readonly ToolContextFactory _contexts;
    private readonly SessionService _sessions;
    private readonly TimeProvider _time;

    /// <summary>Creates the tools.</summary>
    public SessionTools(ToolContextFactory contexts, SessionService sessions, TimeProvider time)
    {
        _contexts = contexts;
        _sessions = sessions;
        _time = time;
    }

    /// <summary>orchestrator_initialize_session.</summary>
    [McpServerTool(Name = "orchestrator_initialize_session", Title = "Start a session", UseStructuredContent = true, OutputSchemaType = typeof(InitializeSessionResult), Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Starts a working session in a workspace (a project folder) and returns its session_id, the workspace and its database, the roster of specialist roles and guidance on how to plan and work through tasks. Call this first; tasks planned on this connection belong to the session.")]
    public async Task<CallToolResult> InitializeSession(
        McpServer server,
        [Description("Absolute path of the project folder to work in. Omit it to use --workspace, then TASK_ORCHESTRATOR_WORKSPACE, then the client's first root, then the git root of the server's current directory, then the current directory."), MaxLength(4096)] string? working_directory = null,
        [Description("A name for the session, such as the goal being worked on. Defaults to 'Session <date time>'."), MaxLength(200)] string? session_name = null,
        CancellationToken cancellationToken = default)
    {
        var context = await _contexts.ForCallAsync(server, working_directory, null, cancellationToken);
        var roles = context.Workspace.Roles();
        var name = session_name ?? string.Create(CultureInfo.InvariantCulture, $"Session {_time.GetUtcNow():yyyy-MM-dd HH:mm} UTC");
        SessionRecord session;
        await using (var unit = await context.Workspace.Store.BeginWriteAsync(cancellationToken))
        {
            session = await _sessions.CreateAsync(unit, context.Workspace.Store.Workspace.Id, name, context.Connection.ClientInfo, cancellationToken);
            await unit.CommitAsync(cancellationToken);
        }

        await _contexts.BindAsync(server, context.Workspace.Root, session.Id, cancellationToken);
        var result = new InitializeSessionResult(
            session.Id,
            session.Name,
            session.CreatedAt,
            SessionViews.Workspace(context),
            [.. roles.Roles.Select(r => new RoleView(r.Name, r.Title, r.Description, r.Expertise, r.Source))],
            Guidance.Workflow);
        return ToolResults.Success(result, $"Session {session.Id} '{session.Name}' started in {context.Workspace.Root} ({context.Resolved.Source}); {roles.Roles.Count} specialist roles available. Next: plan the work with orchestrator_plan_task.");
    }

    /// <summary>orchestrator_list_sessions.</summary>
    [McpServerTool(Name = "orchestrator_list_sessions", Title = "List sessions", UseStructuredContent = true, OutputSchemaType = typeof(ListSessionsResult), ReadOnly = true, OpenWorld = false)]
    [Description("Lists the sessions of the workspace with their task counts and progress, most recently active first.")]
    public async Task<CallToolResult> ListSessions(
        McpServer server,
        [Description("Only sessions with this status: active, archived, or all (the default).")] SessionFilter status = SessionFilter.All,
        [Description("Page size, 1 to 200."), Range(1, 200)] int limit = 50,
        [Description("Sessions to skip, for paging."), Range(0, int.MaxValue)] int offset = 0,
        [Description("Absolute path of the workspace folder; defaults as for orchestrator_initialize_session."), MaxLength(4096)] string? working_directory = null,
        CancellationToken cancellationToken = default)
    {
        var context = await _contexts.ForCallAsync(server, working_directory, null, cancellationToken);
        var result = await ListAsync(context, status, limit, offset, cancellationToken);
        return ToolResults.Success(result, $"{result.Sessions.Count} of {Text.Count(result.TotalCount, "session")} in {context.Workspace.Root}.");
    }

    /// <summary>
    /// The sessions of the workspace of <paramref name="context"/> as orchestrator_list_sessions lists
    /// them; the REST API's <c>GET /api/sessions</c> returns the same.
    /// </summary>
    public static async Task<ListSessionsResult> ListAsync(ToolContext context, SessionFilter status, int limit, int offset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (limit is < 1 or > MaxPage)
        {
            throw Fail.Invalid("limit", string.Create(CultureInfo.InvariantCulture, $"'limit' is {limit}, outside the allowed range 1..{MaxPage}."), $"Pass a value in 1..{MaxPage}.", [$"1..{MaxPage}"]);
        }

        if (offset < 0)
        {
            throw Fail.Invalid("offset", string.Create(CultureInfo.InvariantCulture, $"'offset' is {offset}, outside the allowed range 0..+inf."), "Pass a value in 0..+inf.", ["0..+inf"]);
        }

        SessionStatus? filter = status switch
        {
            SessionFilter.Active => SessionStatus.Active,
            SessionFilter.Archived => SessionStatus.Archived,
            _ => null,
        };
        var (items, total) = await SessionService.ListAsync(context.Workspace.Store, filter, limit, offset, cancellationToken);
        bool hasMore = offset + items.Count < total;
        var result = new ListSessionsResult(
            [.. items.Select(i => SessionViews.Session(i.Session, i.Counts, context.SessionId))],
            total,
            hasMore,
            hasMore ? offset + items.Count : null,
            SessionViews.Workspace(context));
        return result;
    }

    /// <summary>orchestrator_resume_session.</summary>
    [McpServerTool(Name = "orchestrator_resume_session", Title = "Resume a session", UseStructuredContent = true, OutputSchemaType = typeof(ResumeSessionResult), Destructive = false, OpenWorld = false)]
    [Description("Makes an earlier session current on this connection (reactivating it if it was archived) and returns what to continue with: tasks still in progress, ready tasks, blocked and waiting tasks, recent completions and events.")]
    public async Task<CallToolResult> ResumeSession(
        McpServer server,
        [Description("The session to resume (from orchestrator_list_sessions)."), MaxLength(128)] string session_id,
        [Description("Absolute path of the workspace folder the session lives in; defaults as for orchestrator_initialize_session."), MaxLength(4096)] string? working_directory = null,
        CancellationToken cancellationToken = default)
    {
        session_id = InputParsing.RequiredIdentifier(session_id, "session_id", "Name the session to resume; orchestrator_list_sessions lists them.");
        var context = await _contexts.ForCallAsync(server, working_directory, session_id, cancellationToken);
        var overview = await _sessions.ResumeAsync(context.Workspace.Store, session_id, context.Actor(), ListLimit, cancellationToken);
        await _contexts.BindAsync(server, context.Workspace.Root, session_id, cancellationToken);
        var progress = SessionViews.Progress(overview, session_id);
        var result = new ResumeSessionResult(progress, overview.Reactivated, SessionViews.Workspace(context), NextSteps(progress), Guidance.Workflow);
        return ToolResults.Success(result, $"Resumed session {session_id} '{overview.Session.Name}': {progress.InProgressTotal} in progress, {progress.ReadyTotal} ready, {progress.BlockedTotal} blocked, {progress.WaitingTotal} waiting.");
    }

    /// <summary>orchestrator_session_status.</summary>
    [McpServerTool(Name = "orchestrator_session_status", Title = "Session status", UseStructuredContent = true, OutputSchemaType = typeof(SessionStatusResult), ReadOnly = true, OpenWorld = false)]
    [Description("Shows where a session's work stands: task counts and progress, tasks in progress, ready, blocked (with reasons) and waiting (with what they wait for), recent completions and events.")]
    public async Task<CallToolResult> GetSessionStatus(
        McpServer server,
        [Description("The session; defaults to the session current on this connection."), MaxLength(128)] string? session_id = null,
        CancellationToken cancellationToken = default)
    {
        var context = await _contexts.ForCallAsync(server, null, InputParsing.Identifier(session_id, "session_id"), cancellationToken);
        var sessionId = context.SessionId ?? throw Fail.Missing("session_id", "No session is current on this connection: pass session_id, or call orchestrator_initialize_session or orchestrator_resume_session first.");
        var overview = await SessionService.GetOverviewAsync(context.Workspace.Store, sessionId, ListLimit, cancellationToken);
        var progress = SessionViews.Progress(overview, context.Connection.Binding?.SessionId);
        return ToolResults.Success(new SessionStatusResult(progress, SessionViews.Workspace(context)),
            $"Session {sessionId} '{overview.Session.Name}' ({progress.Session.Status}): {progress.Session.CompletedTasks} of {Text.Count(progress.Session.TotalTasks, "task")} completed ({progress.Session.ProgressPercent}%), {progress.InProgressTotal} in progress, {progress.ReadyTotal} ready, {progress.BlockedTotal} blocked.");
    }

    /// <summary>orchestrator_cleanup_sessions.</summary>
    [McpServerTool(Name = "orchestrator_cleanup_sessions", Title = "Clean up sessions", UseStructuredContent = true, OutputSchemaType = typeof(CleanupSessionsResult), Destructive = true, OpenWorld = false)]
    [Description("Puts away old sessions: 'inactive' archives active sessions without activity for older_than_days (their tasks stay); 'completed' archives sessions whose tasks have all ended, archiving those tasks too; 'empty' deletes sessions that never planned a task; 'all' applies each session's first matching rule. Use dry_run to see what would happen.")]
    public async Task<CallToolResult> CleanupSessions(
        McpServer server,
        [Description("Which sessions to clean up: inactive, completed, empty or all.")] SessionCleanupType cleanup_type = SessionCleanupType.Inactive,
        [Description("Only sessions with no activity for at least this many days (0 to 3650)."), Range(0, 3650)] int older_than_days = 30,
        [Description("When true, report what would be done without changing anything.")] bool dry_run = false,
        CancellationToken cancellationToken = default)
    {
        var context = await _contexts.ForCallAsync(server, null, null, cancellationToken);
        var items = await _sessions.CleanupAsync(context.Workspace.Store, cleanup_type, TimeSpan.FromDays(older_than_days), dry_run, context.Actor(), context.SessionId, cancellationToken);
        var views = items.Select(i => new SessionCleanupView(i.Session.Id, i.Session.Name, i.Session.LastActivityAt, i.TaskCount, i.Rule, i.Action, i.TasksArchived)).ToArray();
        var result = new CleanupSessionsResult(
            WireNames.Of(cleanup_type),
            older_than_days,
            dry_run,
            views,
            views.Count(v => v.Action != "deleted"),
            views.Count(v => v.Action == "deleted"),
            views.Sum(v => v.TasksArchived));
        var verb = dry_run ? "would archive" : "archived";
        return ToolResults.Success(result, $"Cleanup '{WireNames.Of(cleanup_type)}' older than {Text.Count(older_than_days, "day")} {verb} {Text.Count(result.SessionsArchived, "session")} and {(dry_run ? "would delete" : "deleted")} {result.SessionsDeleted}; {Text.Count(result.TasksArchived, "task")} archived with them{(dry_run ? " (dry run: nothing changed)" : string.Empty)}.");
    }

    private static List<string> NextSteps(SessionProgressView progress)
    {
        var steps = new List<string>();
        if (progress.InProgressTotal > 0)
        {
            steps.Add($"Finish or release the {progress.InProgressTotal} tasks in progress (first: {progress.InProgress[0].TaskId} '{progress.InProgress[0].Title}'), reporting each with orchestrator_complete_task.");
        }

        if (progress.ReadyTotal > 0)
        {
            steps.Add($"Start the next ready task with orchestrator_execute_task: {progress.Ready[0].TaskId} '{progress.Ready[0].Title}' ({progress.ReadyTotal} ready in all).");
        }

        if (progress.BlockedTotal > 0)
        {
            steps.Add($"Resolve {progress.BlockedTotal} blocked tasks, then unblock them with orchestrator_update_task status='pending'.");
        }

        if (steps.Count == 0)
        {
            steps.Add(progress.Session.TotalTasks == 0
                ? "Plan the work with orchestrator_plan_task."
                : "Nothing is open: synthesize the results with orchestrator_synthesize_results, or plan more work.");
        }

        return steps;
    }
}
