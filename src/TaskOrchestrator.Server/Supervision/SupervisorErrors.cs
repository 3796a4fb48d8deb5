using System.Globalization;
using System.Text.Json.Nodes;
using TaskOrchestrator.Core.Errors;

namespace TaskOrchestrator.Server.Supervision;

/// <summary>The errors the supervisor answers with itself, each saying what happened and what to do.</summary>
internal static class SupervisorErrors
{
    public static OrchestratorError Critical(CriticalCause cause) => new(
        ErrorCodes.ServerCritical,
        $"The orchestrator is not running: {cause.Message}",
        Hint: $"Read {cause.LogFile ?? "the server's stderr"} for the cause, fix it, then call orchestrator_restart_server to start a worker again (or restart the MCP server).",
        Details: new JsonObject { ["since"] = cause.Since.ToString("O", CultureInfo.InvariantCulture), ["log_file"] = cause.LogFile });

    public static OrchestratorError ShuttingDown() => new(
        ErrorCodes.ServerShuttingDown,
        "The server is shutting down and takes no new calls; this call was not applied.",
        Hint: "Reconnect once the server has been started again.");

    public static OrchestratorError BufferFull(RequestBuffer buffer) => new(
        ErrorCodes.ServerBusy,
        $"The server is restarting and already holds {buffer.Count} calls ({buffer.Bytes} bytes; limits {buffer.MaxMessages} calls, {buffer.MaxBytes} bytes); this call was not applied.",
        Hint: "Retry in a few seconds; orchestrator_restart_status shows the restart's progress.");

    public static OrchestratorError RestartInProgress(string phase, string reason) => new(
        ErrorCodes.RestartInProgress,
        $"A restart ({reason}) is already under way, now in phase '{phase}'; a second one was not started.",
        Hint: "Wait for it to finish; orchestrator_restart_status shows its progress and outcome.");

    /// <summary>A call in flight when its worker ended, and not safe to send again.</summary>
    public static OrchestratorError Interrupted(ClientMessage request, string cause, string? idempotencyKey)
    {
        var what = request.Message.ToolName is { } tool ? $"The call to {tool}" : $"The request '{request.Message.Method}'";
        var hint = idempotencyKey is not null
            ? $"Retry it with the same idempotency_key ('{idempotencyKey}'): if it was applied you get its stored result, otherwise it is applied now. A new worker serves the same session."
            : request.Message.IsToolCall
                ? "It had no idempotency_key, so check whether it took effect (orchestrator_get_status, orchestrator_query_tasks) before retrying it; pass an idempotency_key on writes to make retries safe. A new worker serves the same session."
                : "Send it again.";
        return new OrchestratorError(
            ErrorCodes.Interrupted,
            $"{what} (request id {request.Message.Id}) was in flight when {cause}; it may or may not have been applied.",
            Hint: hint,
            Details: new JsonObject
            {
                ["request_id"] = request.Message.Id,
                ["tool"] = request.Message.ToolName,
                ["idempotency_key"] = idempotencyKey,
                ["received_at"] = request.ReceivedAt.ToString("O", CultureInfo.InvariantCulture),
            });
    }

    /// <summary>A read-only request whose workers kept dying under it: not sent a third time.</summary>
    public static OrchestratorError ReplayLimit(ClientMessage request, string cause) => new(
        ErrorCodes.Interrupted,
        $"The request (id {request.Message.Id}) was in flight on {request.Replays + 1} workers that all ended ({cause}); it is not sent again.",
        Hint: "Nothing was changed (it is read-only). Check orchestrator_restart_status; if the server is running, send it again.");
}
