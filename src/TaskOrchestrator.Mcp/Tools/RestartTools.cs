using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Mcp.Operations;
using TaskOrchestrator.Mcp.Operations.Health;
using TaskOrchestrator.Mcp.Operations.Instances;
using TaskOrchestrator.Mcp.Results;
using TaskOrchestrator.Mcp.Validation;
using TaskOrchestrator.Mcp.Workspaces;

namespace TaskOrchestrator.Mcp.Tools;

/// <summary>
/// Restart, restart history and reconnection. A supervisor answers these three tools itself with the
/// same output schemas; the worker answers them when it runs without one.
/// </summary>
[McpServerToolType]
public sealed class RestartTools
{
    private const int HistoryLimit = 50;

    /// <summary>How to run the server so that it can restart itself.</summary>
    public const string HowToSupervise = "Start it with `task-orchestrator serve` (the default command) without --no-supervisor: the supervisor keeps the client's session while it replaces the worker.";

    private readonly ToolContextFactory _contexts;
    private readonly InstanceIdentity _identity;
    private readonly TimeProvider _time;

    /// <summary>Creates the tools.</summary>
    public RestartTools(ToolContextFactory contexts, InstanceIdentity identity, TimeProvider time)
    {
        _contexts = contexts;
        _identity = identity;
        _time = time;
    }

    /// <summary>orchestrator_restart_server.</summary>
    [McpServerTool(Name = "orchestrator_restart_server", Title = "Restart the server", UseStructuredContent = true, OutputSchemaType = typeof(RestartServerResult), Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Restarts the orchestrator behind the supervisor without dropping the client's session: prepares, drains calls in flight (unless graceful=false), stops the worker, starts a new one (picking up new configuration and a new build), reloads state, checks its health and resumes the calls held meanwhile. If the new worker fails its health check within timeout_seconds, the previous build and configuration are started again and the failure is recorded. Needs a supervisor: a server started with `serve-worker` or --no-supervisor refuses with not_supervised.")]
    public Task<CallToolResult> RestartServer(
        [Description("Drain calls in flight before stopping the worker; false restarts at once (calls in flight are answered with an error saying they may or may not have been applied).")] bool graceful = true,
        [Description("Keep the work in progress held for the new worker (true), or let go of it as a final stop does (false): work started without an agent goes back to pending, work an agent started stays with that agent until its lease ends.")] bool preserve_state = true,
        [Description("How long the new worker gets to pass its health check before the restart is rolled back, in seconds (10 to 300)."), Range(10, 300)] int timeout_seconds = 30,
        [Description("Why: configuration_update, schema_migration, error_recovery, manual_request or emergency_shutdown. Recorded in the restart history.")] RestartReason reason = RestartReason.ManualRequest,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var details = new System.Text.Json.Nodes.JsonObject
        {
            ["instance_id"] = _identity.InstanceId,
            ["role"] = WireNames.Of(_identity.Role),
            ["requested"] = new System.Text.Json.Nodes.JsonObject
            {
                ["graceful"] = graceful,
                ["preserve_state"] = preserve_state,
                ["timeout_seconds"] = timeout_seconds,
                ["reason"] = WireNames.Of(reason),
            },
        };
        throw _identity.Supervised
            ? Fail.With(
                ErrorCodes.InternalError,
                "This restart request reached the worker: the supervisor that runs it should have answered orchestrator_restart_server itself. Nothing was restarted.",
                null,
                null,
                "Retry the call; if it keeps reaching the worker, the supervisor is older than the worker: restart the whole server.",
                details)
            : Fail.With(
                ErrorCodes.NotSupervised,
                $"This server runs without a supervisor (started as `serve-worker` or with --no-supervisor, pid {_identity.ProcessId}), so it cannot restart itself without dropping your session. Nothing was restarted.",
                null,
                null,
                HowToSupervise + " To pick up new configuration now, restart the server from your MCP client.",
                details);
    }

    /// <summary>orchestrator_restart_status.</summary>
    [McpServerTool(Name = "orchestrator_restart_status", Title = "Restart status and history", UseStructuredContent = true, OutputSchemaType = typeof(RestartStatusResult), ReadOnly = true, OpenWorld = false)]
    [Description("Shows the restart under way (phase and progress) and the persisted history of every restart and crash recovery of this workspace's server: when, why, each phase with its timing, the outcome and errors. The history survives restarts. Without a supervisor the phase is not_supervised and the history is what earlier supervised runs recorded.")]
    public async Task<CallToolResult> RestartStatus(
        McpServer server,
        [Description("Include the history of restarts and crash recoveries, newest first.")] bool include_history = true,
        [Description("Include the error of each failed or rolled-back restart.")] bool include_error_details = false,
        CancellationToken cancellationToken = default)
    {
        var call = await _contexts.ForCallAsync(server, null, null, cancellationToken);
        var result = await StatusAsync(call, include_history, include_error_details, cancellationToken);
        return ToolResults.Success(result, $"Restart status: {result.Phase}; {Text.Count(result.HistoryTotal, "restart")} in the history. {result.Message}");
    }

    /// <summary>
    /// The restart status this worker can give for the workspace of <paramref name="call"/> (the
    /// persisted history; a supervisor adds the live phase); the REST API's <c>GET /api/restarts</c>
    /// returns the same.
    /// </summary>
    public async Task<RestartStatusResult> StatusAsync(ToolContext call, bool includeHistory, bool includeErrorDetails, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        IReadOnlyList<RestartRecord> items;
        int total;
        await using (var read = await call.Workspace.Store.BeginReadAsync(cancellationToken))
        {
            (items, total) = await read.Restarts.ListAsync(includeHistory ? HistoryLimit : 1, cancellationToken);
        }

        var phase = _identity.Supervised ? "unknown" : "not_supervised";
        var message = _identity.Supervised
            ? "This call reached the worker: the supervisor normally answers it with the live phase. The history below is the persisted one."
            : $"No supervisor runs this server, so no restart can be under way. {HowToSupervise} The history lists {Text.Count(total, "restart")} recorded by earlier supervised runs.";
        var result = new RestartStatusResult(
            _identity.Supervised,
            phase,
            null,
            null,
            null,
            includeHistory ? [.. items.Select(r => RestartView(r, includeErrorDetails))] : null,
            total,
            message);
        return result;
    }

    /// <summary>orchestrator_reconnect_test.</summary>
    [McpServerTool(Name = "orchestrator_reconnect_test", Title = "Reconnection test", UseStructuredContent = true, OutputSchemaType = typeof(ReconnectTestResult), ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Tests the path a call takes for real: a round trip between supervisor and worker and one to the store (a timed read and a timed durable write probe), the supervisor's buffer of requests held during restarts with its limits, and counts of restarts, replayed and failed requests. With session_id, also checks that orchestrator session can be resumed. Without a supervisor only the store round trip is measured, and the result says so.")]
    public async Task<CallToolResult> ReconnectTest(
        McpServer server,
        [Description("An orchestrator session (ses_…) to check can be resumed after a reconnect."), MaxLength(128)] string? session_id = null,
        [Description("Include the supervisor's request buffer: what it holds and its limits.")] bool include_buffer_status = true,
        [Description("Include counts of restarts, crash recoveries, replayed and failed requests.")] bool include_reconnection_stats = true,
        CancellationToken cancellationToken = default)
    {
        var call = await _contexts.ForCallAsync(server, null, null, cancellationToken);
        var sessionId = InputParsing.Identifier(session_id, "session_id");
        var store = call.Workspace.Store;
        double? readMs = null;
        double? writeMs = null;
        string? error = null;
        SessionCheckView? session = null;
        try
        {
            var started = Stopwatch.GetTimestamp();
            await using (var read = await store.BeginReadAsync(cancellationToken))
            {
                await read.Instances.GetAsync(_identity.InstanceId, cancellationToken);
                if (sessionId is not null)
                {
                    var found = await read.Sessions.GetAsync(sessionId, cancellationToken);
                    session = new SessionCheckView(sessionId, found is not null, found?.Name, found is null ? null : WireNames.Of(found.Status));
                }
            }

            readMs = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3);
            writeMs = Math.Round((await store.Diagnostics.ProbeWriteAsync(_identity.InstanceId, cancellationToken)).TotalMilliseconds, 3);
        }
        catch (Exception ex) when (HealthProbe.IsStoreFailure(ex))
        {
            error = HealthProbe.Describe(ex);
        }

        var notes = new List<string>();
        if (!_identity.Supervised)
        {
            notes.Add("No supervisor runs this server (started as `serve-worker` or with --no-supervisor): there is no supervisor–worker round trip to time, no request buffer and no reconnection history, so those figures are absent. " + HowToSupervise);
        }
        else
        {
            notes.Add("This call reached the worker: the supervisor normally answers it with the supervisor–worker round trip, its buffer and its counts.");
        }

        if (!include_buffer_status)
        {
            notes.Add("Buffer status not requested.");
        }

        if (!include_reconnection_stats)
        {
            notes.Add("Reconnection stats not requested.");
        }

        var ok = error is null && session is not { Found: false };
        var result = new ReconnectTestResult(
            _identity.Supervised,
            ok ? "ok" : "failed",
            new StoreRoundTripView(error is null, readMs, writeMs, error),
            null,
            null,
            null,
            session,
            notes,
            _time.GetUtcNow());
        var text = error is null
            ? $"Reconnect test {result.Status}: store read {readMs:0.###} ms, durable write {writeMs:0.###} ms{(session is null ? string.Empty : session.Found ? $"; session {session.SessionId} can be resumed" : $"; session {session.SessionId} does not exist in this workspace")}. {notes[0]}"
            : $"Reconnect test failed: the store round trip failed: {error}";
        return ToolResults.Success(result, text);
    }

    /// <summary>A restart history entry as a view; the error only with <paramref name="includeError"/>.</summary>
    public static RestartView RestartView(RestartRecord restart, bool includeError)
    {
        ArgumentNullException.ThrowIfNull(restart);
        return new RestartView(
            restart.Id,
            restart.Kind,
            restart.Reason,
            restart.Graceful,
            restart.RequestedBy,
            restart.StartedAt,
            restart.FinishedAt,
            restart.FinishedAt is { } finished ? Math.Round((finished - restart.StartedAt).TotalMilliseconds, 1) : null,
            restart.Outcome,
            restart.FromVersion,
            restart.ToVersion,
            [.. restart.Phases.Select(p => new RestartPhaseView(p.Phase, p.StartedAt, p.DurationMs, p.Succeeded, p.Detail))],
            includeError ? restart.Error : null);
    }
}
