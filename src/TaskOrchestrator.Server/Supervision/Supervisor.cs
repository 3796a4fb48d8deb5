using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using Serilog;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Server.Hosting;
using TaskOrchestrator.Mcp.Operations;

namespace TaskOrchestrator.Server.Supervision;

/// <summary>
/// The stable process between the client and the orchestrator. It owns the client's stdio, runs the
/// orchestrator as a worker child, and routes every message: client requests to the current worker
/// (held while a worker is being replaced), answers back to the client exactly once, and requests the
/// worker makes of the client with ids that cannot collide across workers. This file is the routing;
/// the lifecycle of workers, restarts and crash recovery are in the other parts of the class.
/// </summary>
internal sealed partial class Supervisor : IDisposable
{
    // Ids of the supervisor's own requests to a worker; a client would have to imitate them to collide.
    private const string InternalIdPrefix = "\"task-orchestrator.supervisor#";

    // Methods whose repetition changes nothing: replayed on a new worker when their worker died.
    private static readonly HashSet<string> ReplayableMethods = new(StringComparer.Ordinal)
    {
        "initialize", "ping", "tools/list", "prompts/list", "prompts/get", "resources/list",
        "resources/templates/list", "resources/read", "completion/complete", "logging/setLevel",
    };

    private readonly object _gate = new();
    private readonly SupervisorSettings _settings;
    private readonly SupervisorOptions _options;
    private readonly ClientConnection _client;
    private readonly SupervisorHistory _history;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly InFlightTable _inFlight = new();
    private readonly RequestBuffer _buffer;
    private readonly Dictionary<int, WorkerProcess> _workers = [];
    private readonly Dictionary<string, (int Generation, string OriginalId)> _serverRequests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _internal = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _supervisorCalls = new();
    private readonly SupervisorCounters _counters = new();

    private SupervisorState _state = SupervisorState.Holding;
    private WorkerProcess? _current;
    private ClientSession _session = new();
    private HashSet<string> _readOnlyTools = new(StringComparer.Ordinal);
    private string? _toolsFingerprint;
    private string? _binding;
    private long _nextInternalId;
    private long _nextServerRequestId;

    public Supervisor(SupervisorSettings settings, SupervisorOptions options, ClientConnection client, SupervisorHistory history, ILogger logger, TimeProvider time)
    {
        _settings = settings;
        _options = options;
        _client = client;
        _history = history;
        _logger = logger;
        _time = time;
        _buffer = new RequestBuffer(options.BufferLimit, options.BufferByteLimit);
        StartedAt = time.GetUtcNow();
    }

    /// <summary>When the supervisor started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Handles one line the client wrote to stdin.</summary>
    public async ValueTask OnClientLineAsync(ReadOnlyMemory<byte> line, byte[]? rented)
    {
        var now = _time.GetUtcNow();
        var message = JsonRpcMessage.Read(line.Span);
        lock (_gate)
        {
            _session = _session with { LastActivityAt = now };
        }

        switch (message)
        {
            case { Kind: JsonRpcKind.Invalid }:
                await AnswerUnreadableAsync(line);
                return;
            case { Kind: JsonRpcKind.Response }:
                await RouteClientAnswerAsync(line, message);
                return;
            case { IsToolCall: true } when message.ToolName is { } tool && AnswersItself(tool):
                TrackSupervisorCall(AnswerSupervisorToolAsync(line, message));
                return;
            case { Kind: JsonRpcKind.Request, Method: "ping" } when State != SupervisorState.Serving:
                await _client.AnswerAsync(message.Id!, new JsonObject()); // alive, even while no worker is
                return;
            case { Kind: JsonRpcKind.Request, Method: "initialize" }:
                if (await TryAnswerHandshakeAsync(line, message, now))
                {
                    return;
                }

                RecordInitialize(line, now);
                break;
            case { IsToolCall: true } when message.ToolName is { } tool && SupervisorProtocol.FactsTools.Contains(tool):
                line = AddFacts(line, message.Id);
                rented = null; // the line with the facts is a new array; the rented one is the collector's
                break;
            case { Kind: JsonRpcKind.Notification, Method: "notifications/cancelled" } when TryCancelHeld(line):
                return;
            case { Kind: JsonRpcKind.Notification, Method: "notifications/initialized" }:
                await DispatchAsync(new ClientMessage(line, message, now) { Rented = rented });
                OnClientInitialized();
                return;
        }

        await DispatchAsync(new ClientMessage(line, message, now) { Rented = rented });
    }

    // A line that is not a JSON-RPC message gets its parse error here, when its id can be read: the
    // worker would answer it, but with an id no request in flight carries, and that answer is dropped.
    private ValueTask AnswerUnreadableAsync(ReadOnlyMemory<byte> line) => AnswerUnforwardedAsync(
        line,
        $"A line of {line.Length} bytes from the client is not a JSON-RPC message",
        McpErrorCodes.ParseError,
        new OrchestratorError(
            ErrorCodes.InvalidArgument,
            "The request is not a valid JSON-RPC message: its line is not complete, well-formed JSON.",
            Hint: "Send one JSON object per line with \"jsonrpc\": \"2.0\", an id, a method and its params, and no newline inside it."));

    // A line longer than a line may hold was skipped, not collected; its sender gets an error when its
    // id is among the first bytes (JSON-RPC messages usually start with it).
    private ValueTask AnswerOverlongAsync(ReadOnlyMemory<byte> prefix, long bytes) => AnswerUnforwardedAsync(
        prefix,
        $"A line of {bytes} bytes from the client is longer than the {Utf8LineTransport.DefaultMaxLineBytes} a line may hold and was skipped",
        McpErrorCodes.InvalidRequest,
        new OrchestratorError(
            ErrorCodes.TooLarge,
            $"The request is a line of {bytes} bytes; a line may hold at most {Utf8LineTransport.DefaultMaxLineBytes} bytes, so it was not read.",
            Hint: "Send less per call (for a plan, several smaller plans under one parent_task_id)."));

    // Answers a line that is not forwarded with a JSON-RPC error, when the id it starts with can be read.
    private async ValueTask AnswerUnforwardedAsync(ReadOnlyMemory<byte> line, string what, int code, OrchestratorError error)
    {
        if (!RequestIdReader.TryRead(line.Span, out var id))
        {
            _logger.Warning("{What}; it has no id to answer", what);
            return;
        }

        _logger.Warning("{What}; answered request {Id} with error {Code}", what, id, code);
        await _client.AnswerErrorAsync(JsonSerializer.Serialize(id, McpJsonUtilities.DefaultOptions), code, error);
    }

    // Forwards to the serving worker, or holds, or rejects, by the state.
    private async ValueTask DispatchAsync(ClientMessage message)
    {
        WorkerProcess? target = null;
        OrchestratorError? rejection = null;
        lock (_gate)
        {
            if (_state == SupervisorState.Serving && _current is { } worker)
            {
                if (message.Message.Kind == JsonRpcKind.Request)
                {
                    message.Generation = worker.Generation;
                    message.BeginSend();
                    _inFlight.Add(message);
                }

                target = worker;
            }
            else if (_state is SupervisorState.Serving or SupervisorState.Holding)
            {
                if (_buffer.TryAdd(message))
                {
                    _counters.Buffered++;
                }
                else
                {
                    rejection = SupervisorErrors.BufferFull(_buffer);
                    _counters.Rejected++;
                }
            }
            else
            {
                rejection = _state == SupervisorState.Critical ? SupervisorErrors.Critical(_critical!) : SupervisorErrors.ShuttingDown();
                _counters.Rejected++;
            }
        }

        if (target is not null)
        {
            // A failed send means the worker is gone; its exit handling answers or replays the request.
            await SendAsync(target, message);
        }
        else if (rejection is not null && message.Message.Kind == JsonRpcKind.Request)
        {
            await _client.RejectAsync(message.Message, rejection);
        }
    }

    /// <summary>
    /// Handles one line a worker wrote to stdout. The line is the reader's buffer, valid until this
    /// completes: nothing here keeps it.
    /// </summary>
    private async ValueTask OnWorkerLineAsync(WorkerProcess worker, ReadOnlyMemory<byte> line)
    {
        var message = JsonRpcMessage.Read(line.Span);
        switch (message)
        {
            case { Kind: JsonRpcKind.Response } when message.Id!.StartsWith(InternalIdPrefix, StringComparison.Ordinal):
                if (_internal.TryGetValue(message.Id, out var pending))
                {
                    using var document = JsonDocument.Parse(line);
                    pending.TrySetResult(document.RootElement.Clone());
                }

                return;
            case { Kind: JsonRpcKind.Response }:
                await ForwardAnswerAsync(worker, line, message);
                return;
            case { Kind: JsonRpcKind.Request }:
                await ForwardWorkerRequestAsync(worker, line, message);
                return;
            case { Kind: JsonRpcKind.Notification, Method: SupervisorProtocol.RestartRequestedMethod }:
                OnRestartRequested(worker, line);
                return;
            case { Kind: JsonRpcKind.Notification, Method: SupervisorProtocol.BindingMethod }:
                lock (_gate)
                {
                    _binding = JsonNode.Parse(line.Span)?["params"]?.ToJsonString();
                }

                return;
            case { Kind: JsonRpcKind.Notification, Method: "notifications/cancelled" }:
                await ForwardWorkerCancellationAsync(worker, line);
                return;
            default:
                await _client.SendAsync(line);
                return;
        }
    }

    // An answer to a client request: forwarded once, only if the request is still waiting for it.
    private async ValueTask ForwardAnswerAsync(WorkerProcess worker, ReadOnlyMemory<byte> line, JsonRpcMessage message)
    {
        ClientMessage? request;
        lock (_gate)
        {
            if (!_inFlight.TryComplete(message.Id!, worker.Generation, out request))
            {
                request = null;
            }
        }

        if (request is null)
        {
            _logger.Warning("Dropped worker {Generation}'s answer to request {Id}: the client was already answered", worker.Generation, message.Id);
            return;
        }

        if (request.Message.Method == "initialize")
        {
            RecordInitializeAnswer(worker, line.Span);
        }

        await _client.SendAsync(line);
        request.Answered();
    }

    // Sends a client message to a worker; a request was marked as being sent when it went in flight.
    private static async ValueTask SendAsync(WorkerProcess worker, ClientMessage message)
    {
        try
        {
            await worker.SendAsync(message.Line);
        }
        finally
        {
            if (message.Message.Kind == JsonRpcKind.Request)
            {
                message.EndSend();
            }
        }
    }

    // A request from the worker to the client (roots/list, sampling, ping): its id is renamed so that
    // the answer finds this worker, and only this one, even after workers were replaced.
    private async ValueTask ForwardWorkerRequestAsync(WorkerProcess worker, ReadOnlyMemory<byte> line, JsonRpcMessage message)
    {
        var id = JsonSerializer.Serialize($"w{worker.Generation}-{Interlocked.Increment(ref _nextServerRequestId)}", JsonRpcIdContext.Default.String);
        lock (_gate)
        {
            _serverRequests[id] = (worker.Generation, message.Id!);
        }

        await _client.SendAsync(WithId(line.Span, id));
    }

    private async ValueTask RouteClientAnswerAsync(ReadOnlyMemory<byte> line, JsonRpcMessage message)
    {
        WorkerProcess? worker = null;
        string? originalId = null;
        lock (_gate)
        {
            if (_serverRequests.Remove(message.Id!, out var entry))
            {
                worker = _workers.GetValueOrDefault(entry.Generation);
                originalId = entry.OriginalId;
            }
        }

        if (worker is null)
        {
            _logger.Debug("Dropped the client's answer {Id}: the worker that asked is gone", message.Id);
            return;
        }

        await worker.SendAsync(WithId(line.Span, originalId!));
    }

    private async ValueTask ForwardWorkerCancellationAsync(WorkerProcess worker, ReadOnlyMemory<byte> line)
    {
        var node = JsonNode.Parse(line.Span)!.AsObject();
        if (node["params"]?["requestId"] is { } requestId)
        {
            var original = requestId.ToJsonString();
            string? renamed;
            lock (_gate)
            {
                renamed = _serverRequests.FirstOrDefault(pair => pair.Value.Generation == worker.Generation && pair.Value.OriginalId == original).Key;
                if (renamed is not null)
                {
                    _serverRequests.Remove(renamed);
                }
            }

            if (renamed is null)
            {
                return;
            }

            node["params"]!["requestId"] = JsonNode.Parse(renamed);
        }

        await _client.SendAsync(Encoding.UTF8.GetBytes(node.ToJsonString()));
    }

    // The client cancelled a request still held: it is dropped and never reaches a worker.
    private bool TryCancelHeld(ReadOnlyMemory<byte> line)
    {
        if (JsonNode.Parse(line.Span)?["params"]?["requestId"] is not { } requestId)
        {
            return false;
        }

        lock (_gate)
        {
            return _buffer.Remove(requestId.ToJsonString());
        }
    }

    private static byte[] WithId(ReadOnlySpan<byte> line, string id)
    {
        var node = JsonNode.Parse(line)!.AsObject();
        node["id"] = JsonNode.Parse(id);
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    /// <summary>Sends the supervisor's own request to a worker and waits for its answer, the worker's exit or cancellation.</summary>
    private async Task<JsonElement> RequestWorkerAsync(WorkerProcess worker, string method, JsonNode? parameters, CancellationToken cancellationToken)
    {
        var id = InternalIdPrefix + Interlocked.Increment(ref _nextInternalId).ToString(System.Globalization.CultureInfo.InvariantCulture) + "\"";
        var pending = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _internal[id] = pending;
        try
        {
            var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = JsonNode.Parse(id), ["method"] = method, ["params"] = parameters ?? new JsonObject() };
            if (!await worker.SendAsync(Encoding.UTF8.GetBytes(request.ToJsonString())))
            {
                // A closed input almost always means the worker is exiting: name its exit code if it
                // comes within a second, since that is what the operator needs.
                var exited = await Task.WhenAny(worker.Exited, Task.Delay(TimeSpan.FromSeconds(1), _time, CancellationToken.None)) == worker.Exited;
                throw new WorkerFailedException(
                    exited
                        ? $"the worker (pid {worker.ProcessId}) exited with code {await worker.Exited} before answering '{method}'"
                        : $"the worker (pid {worker.ProcessId}) closed its input before '{method}' could be sent",
                    worker);
            }

            var finished = await Task.WhenAny(pending.Task, worker.Exited, Task.Delay(Timeout.Infinite, cancellationToken));
            if (finished == pending.Task)
            {
                var answer = await pending.Task;
                return answer.TryGetProperty("error", out var error)
                    ? throw new WorkerFailedException($"the worker answered '{method}' with an error: {error.GetRawText()}", worker)
                    : answer.GetProperty("result");
            }

            if (finished == worker.Exited)
            {
                throw new WorkerFailedException($"the worker (pid {worker.ProcessId}) exited with code {await worker.Exited} before answering '{method}'", worker);
            }

            throw new OperationCanceledException(cancellationToken);
        }
        finally
        {
            _internal.TryRemove(id, out _);
        }
    }

    private void TrackSupervisorCall(Task call)
    {
        _supervisorCalls[call] = 0;
        _ = call.ContinueWith(done => _supervisorCalls.TryRemove(done, out _), TaskScheduler.Default);
    }

    private SupervisorState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    public void Dispose()
    {
        foreach (var worker in _workers.Values)
        {
            worker.Dispose();
        }
    }
}
