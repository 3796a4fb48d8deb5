using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Mcp.Json;
using TaskOrchestrator.Mcp.Operations;
using TaskOrchestrator.Mcp.Results;
using TaskOrchestrator.Mcp.Tools;
using TaskOrchestrator.Mcp.Validation;

namespace TaskOrchestrator.Server.Supervision;

/// <summary>
/// The three tools the supervisor answers itself, because only it can: restarting the worker, the
/// live restart phase, and the round trip through it. Arguments are checked against the schema the
/// worker lists for the tool, so the errors read exactly as the worker's own.
/// </summary>
internal sealed partial class Supervisor
{
    private const int HistoryLimit = 50;
    private readonly TaskCompletionSource _toolsLearned = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Dictionary<string, JsonElement> _inputSchemas = new(StringComparer.Ordinal);

    // The supervisor answers its tools only while the worker lists them: under a tool profile without
    // them (--tools core or standard) a call reaches the worker, which refuses it as it refuses any
    // tool it does not list. Before the first worker has listed its tools, the supervisor takes the
    // call and checks once they are known.
    private bool AnswersItself(string tool)
    {
        if (!SupervisorProtocol.SupervisorTools.Contains(tool))
        {
            return false;
        }

        lock (_gate)
        {
            return !_toolsLearned.Task.IsCompleted || _inputSchemas.ContainsKey(tool);
        }
    }

    private async Task AnswerSupervisorToolAsync(ReadOnlyMemory<byte> line, JsonRpcMessage message)
    {
        var id = message.Id!;
        try
        {
            var arguments = await ArgumentsAsync(line, message.ToolName!);
            var result = message.ToolName switch
            {
                "orchestrator_restart_server" => await RestartServerAsync(arguments),
                "orchestrator_restart_status" => await RestartStatusAsync(arguments),
                _ => await ReconnectTestAsync(line, arguments),
            };
            await _client.AnswerToolAsync(id, result);
        }
        catch (OrchestratorException ex)
        {
            await _client.AnswerToolErrorAsync(id, ex.Error);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.Error(ex, "The supervisor failed answering {Tool}", message.ToolName);
            await _client.AnswerToolErrorAsync(id, new OrchestratorError(ErrorCodes.InternalError, $"The supervisor failed answering {message.ToolName}: {ex.Message}", Hint: "Retry the call; orchestrator_restart_status shows the supervisor's state."));
        }
    }

    // The call's arguments, checked against the worker's schema for the tool once it is known.
    private async Task<Dictionary<string, JsonElement>> ArgumentsAsync(ReadOnlyMemory<byte> line, string tool)
    {
        using var document = JsonDocument.Parse(line);
        var arguments = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (document.RootElement.TryGetProperty("params", out var parameters) && parameters.TryGetProperty("arguments", out var given) && given.ValueKind == JsonValueKind.Object)
        {
            foreach (var argument in given.EnumerateObject())
            {
                arguments[argument.Name] = argument.Value.Clone();
            }
        }

        await Task.WhenAny(_toolsLearned.Task, Task.Delay(_options.StartupTimeout, _time));
        JsonElement schema;
        bool listed;
        lock (_gate)
        {
            listed = _inputSchemas.TryGetValue(tool, out schema);
        }

        if (!listed && _toolsLearned.Task.IsCompleted)
        {
            throw new OrchestratorException(new OrchestratorError(
                ErrorCodes.InvalidArgument,
                $"{tool} is not offered by this server: its tool profile ({_settings.Tools ?? "from Orchestrator:Tools"}) leaves it out.",
                "name",
                null,
                "Start the server with --tools all (or set Orchestrator:Tools to all) to use the server-operations tools."));
        }

        if (schema.ValueKind == JsonValueKind.Object && ArgumentValidator.Validate(schema, arguments) is { } error)
        {
            throw new OrchestratorException(error);
        }

        return arguments;
    }

    private async Task<CallToolResult> RestartServerAsync(Dictionary<string, JsonElement> arguments)
    {
        var graceful = Bool(arguments, "graceful", true);
        var preserveState = Bool(arguments, "preserve_state", true);
        var timeoutSeconds = arguments.TryGetValue("timeout_seconds", out var timeout) && timeout.ValueKind == JsonValueKind.Number ? timeout.GetInt32() : 30;
        if (timeoutSeconds is < 10 or > 300)
        {
            throw new OrchestratorException(new OrchestratorError(ErrorCodes.InvalidArgument, $"timeout_seconds must be between 10 and 300; got {timeoutSeconds}.", "timeout_seconds", ["10..300"], "Pass a whole number of seconds from 10 to 300."));
        }

        var reason = arguments.TryGetValue("reason", out var reasonValue) && reasonValue.ValueKind == JsonValueKind.String
            ? WireNames.Parse<RestartReason>(reasonValue.GetString(), "reason")
            : RestartReason.ManualRequest;
        var started = Stopwatch.GetTimestamp();
        var record = await RestartAsync(new RestartRequest(reason, graceful, preserveState, TimeSpan.FromSeconds(timeoutSeconds), "client"));
        var view = RestartTools.RestartView(record, includeError: true);
        var message = record.Outcome switch
        {
            RestartOutcome.Succeeded => $"Restarted in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms: worker {Generation()} serves version {record.ToVersion}; your session carried over.",
            RestartOutcome.RolledBack => $"Rolled back: the new worker failed ({record.Error}); the previous build and configuration serve again. Your session carried over.",
            _ => $"The restart failed: {record.Error}",
        };
        var result = new RestartServerResult(
            record.Id,
            record.Outcome,
            "idle",
            reason,
            graceful,
            preserveState,
            timeoutSeconds,
            record.StartedAt,
            record.FinishedAt,
            view.DurationMs,
            record.FromVersion,
            record.ToVersion,
            view.Phases,
            SessionPreserved: record.Outcome != RestartOutcome.Failed || Session.Initialized,
            record.Error,
            message);
        return ToolResults.Success(result, message);
    }

    private async Task<CallToolResult> RestartStatusAsync(Dictionary<string, JsonElement> arguments)
    {
        var includeHistory = Bool(arguments, "include_history", true);
        var includeErrors = Bool(arguments, "include_error_details", false);
        var (items, total) = await _history.ListAsync(includeHistory ? HistoryLimit : 1, CancellationToken.None);
        RestartRecord? current;
        int finishedPhases;
        string phase;
        SupervisorStatusView supervisor;
        lock (_gate)
        {
            current = _restart?.Record;
            finishedPhases = _restart?.FinishedPhases ?? 0;
            phase = _restart is { } run ? WireNames.Of(run.Phase ?? RestartPhase.Preparing) : _state == SupervisorState.Critical ? "critical" : "idle";
            supervisor = SupervisorView();
        }

        // A restart runs seven phases; a crash recovery the last four.
        double? progress = current is null ? null : Math.Round(100.0 * finishedPhases / (current.Kind == RestartKind.Restart ? 7 : 4), 1);
        var message = current is not null
            ? $"A {WireNames.Of(current.Kind)} ({WireNames.Of(current.Reason)}) is under way: phase {phase}, {progress:0}% done."
            : phase == "critical"
                ? $"No worker is running: {_critical?.Message} Fix the cause, then call orchestrator_restart_server."
                : $"Serving with worker {supervisor.WorkerGeneration} (pid {supervisor.WorkerPid}); {Text.Count(total, "restart")} in the history.";
        var result = new RestartStatusResult(
            true,
            phase,
            progress,
            current is null ? null : RestartTools.RestartView(current, includeErrors),
            supervisor,
            includeHistory ? [.. items.Select(item => RestartTools.RestartView(item, includeErrors))] : null,
            total,
            message + (_history.Unavailable is { } unavailable ? $" History is kept in memory only: {unavailable}." : string.Empty));
        return ToolResults.Success(result, $"Restart status: {phase}. {result.Message}");
    }

    // The worker measures the store and the session; the supervisor adds its round trip to the worker,
    // its buffer and its counts.
    private async Task<CallToolResult> ReconnectTestAsync(ReadOnlyMemory<byte> line, Dictionary<string, JsonElement> arguments)
    {
        var includeBuffer = Bool(arguments, "include_buffer_status", true);
        var includeStats = Bool(arguments, "include_reconnection_stats", true);
        WorkerProcess? worker;
        lock (_gate)
        {
            worker = _state == SupervisorState.Serving ? _current : null;
        }

        var notes = new List<string>();
        SupervisorRoundTripView? roundTrip = null;
        ReconnectTestResult? measured = null;
        if (worker is null)
        {
            notes.Add($"No worker is serving now ({Facts(null).State}); the round trip to it could not be made. orchestrator_restart_status shows why.");
        }
        else
        {
            using var timeout = new CancellationTokenSource(_options.StartupTimeout, _time);
            try
            {
                var started = Stopwatch.GetTimestamp();
                await RequestWorkerAsync(worker, "ping", null, timeout.Token);
                roundTrip = new SupervisorRoundTripView(Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3), worker.ProcessId, worker.Generation);
                var forwarded = JsonNode.Parse(line.Span)!["params"]!.DeepClone();
                var answer = await RequestWorkerAsync(worker, "tools/call", forwarded, timeout.Token);
                if (answer.TryGetProperty("isError", out var isError) && isError.ValueKind == JsonValueKind.True)
                {
                    return JsonSerializer.Deserialize<CallToolResult>(answer.GetRawText(), ModelContextProtocol.McpJsonUtilities.DefaultOptions)!;
                }

                measured = answer.GetProperty("structuredContent").Deserialize<ReconnectTestResult>(McpJson.Options);
            }
            catch (Exception ex) when (ex is WorkerFailedException or OperationCanceledException)
            {
                notes.Add($"The round trip to worker {worker.Generation} failed: {ex.Message}");
            }
        }

        if (measured is null)
        {
            var (latency, error) = await _history.RoundTripAsync(CancellationToken.None);
            measured = new ReconnectTestResult(true, "failed", new StoreRoundTripView(error is null, latency?.TotalMilliseconds, null, error), null, null, null, null, [], _time.GetUtcNow());
        }

        RequestBufferView? buffer = null;
        ReconnectionStatsView? stats = null;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (includeBuffer)
            {
                var held = _buffer.Items.Where(item => item.Message.Kind == JsonRpcKind.Request).ToList();
                buffer = new RequestBufferView(
                    _buffer.Count,
                    _buffer.MaxMessages,
                    _buffer.Items.FirstOrDefault() is { } oldest ? Math.Round((now - oldest.ReceivedAt).TotalMilliseconds, 1) : null,
                    [.. held.Select(item => new PendingCallView(item.Message.Id!, item.Message.Method!, item.Message.ToolName, item.ReceivedAt, Math.Round((now - item.ReceivedAt).TotalMilliseconds, 1)))]);
            }

            if (includeStats)
            {
                stats = new ReconnectionStatsView(_counters.Restarts, _counters.CrashRecoveries, (int)_counters.Replayed, (int)(_counters.Interrupted + _counters.Rejected), _current?.Generation ?? _nextGeneration - 1);
            }
        }

        if (!includeBuffer)
        {
            notes.Add("Buffer status not requested.");
        }

        if (!includeStats)
        {
            notes.Add("Reconnection stats not requested.");
        }

        var ok = roundTrip is not null && measured.Status == "ok";
        var result = measured with
        {
            Supervised = true,
            Status = ok ? "ok" : "failed",
            Supervisor = roundTrip,
            Buffer = buffer,
            ReconnectionStats = stats,
            Notes = notes,
        };
        var text = $"Reconnect test {result.Status}: supervisor to worker {roundTrip?.RoundTripMs:0.###} ms, store read {result.Store.ReadMs:0.###} ms, durable write {result.Store.WriteProbeMs:0.###} ms"
            + (buffer is null ? string.Empty : $"; {buffer.Buffered} messages held (capacity {buffer.Capacity})")
            + (stats is null ? string.Empty : $"; {stats.Restarts} restarts, {stats.CrashRecoveries} crash recoveries, {stats.ReplayedRequests} replayed and {stats.FailedRequests} failed requests")
            + (notes.Count == 0 ? "." : ". " + string.Join(" ", notes));
        return ToolResults.Success(result, text);
    }

    // Under the lock.
    private SupervisorStatusView SupervisorView() => new(
        _settings.Identity.InstanceId,
        _settings.Identity.ProcessId,
        StateName(),
        StartedAt,
        _current?.ProcessId ?? 0,
        _current?.Generation ?? _nextGeneration - 1,
        _counters.Restarts,
        _counters.CrashRecoveries,
        _buffer.Count);

    private int Generation()
    {
        lock (_gate)
        {
            return _current?.Generation ?? -1;
        }
    }

    private static bool Bool(Dictionary<string, JsonElement> arguments, string name, bool fallback) =>
        arguments.TryGetValue(name, out var value) ? value.ValueKind switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => fallback } : fallback;
}
