using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Mcp.Operations;

namespace TaskOrchestrator.Server.Supervision;

/// <summary>The client's session as the supervisor keeps it, and the facts it tells workers.</summary>
internal sealed partial class Supervisor
{
    private bool _toolsChanged;
    private RestartRun? _restart;

    private ClientSession Session
    {
        get
        {
            lock (_gate)
            {
                return _session;
            }
        }
    }

    // The client's initialize is kept to initialize every later worker with the same session.
    private void RecordInitialize(ReadOnlyMemory<byte> line, DateTimeOffset now) => RecordInitialize(JsonNode.Parse(line.Span)?["params"], now, answeredVersion: null);

    // Under the lock or not; answeredVersion is the protocol revision when the client is already answered.
    private void RecordInitialize(JsonNode? parameters, DateTimeOffset now, string? answeredVersion)
    {
        lock (_gate)
        {
            _session = _session with
            {
                InitializeParams = parameters?.DeepClone(),
                Name = TextOf(parameters?["clientInfo"]?["name"]),
                Version = TextOf(parameters?["clientInfo"]?["version"]),
                ConnectedAt = now,
                LastActivityAt = now,
                ProtocolVersion = answeredVersion,
                Initialized = answeredVersion is not null,
            };
        }
    }

    private static string? TextOf(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private void RecordInitializeAnswer(WorkerProcess worker, ReadOnlySpan<byte> line)
    {
        var result = JsonNode.Parse(line)?["result"];
        if (result is null)
        {
            return; // initialize failed; the client sees the error and may try again
        }

        worker.Version = result["serverInfo"]?["version"]?.GetValue<string>();
        lock (_gate)
        {
            _session = _session with { ProtocolVersion = result["protocolVersion"]?.GetValue<string>(), Initialized = true };
            _lastGood ??= new WorkerLaunch(worker.Build, worker.ConfigFile);
        }
    }

    // Once the client is initialized, the first worker's tools are listed to learn which are read-only.
    private void OnClientInitialized()
    {
        WorkerProcess? worker;
        lock (_gate)
        {
            // While the first worker is still being initialized (the supervisor answered the handshake),
            // the initialization lists its tools once it serves.
            worker = _toolsFingerprint is null && _state == SupervisorState.Serving ? _current : null;
        }

        if (worker is null)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                using var timeout = new CancellationTokenSource(_options.StartupTimeout, _time);
                LearnTools(await RequestWorkerAsync(worker, "tools/list", null, timeout.Token));
            }
            catch (Exception ex) when (ex is WorkerFailedException or OperationCanceledException)
            {
                _logger.Warning("Could not list worker {Generation}'s tools: {Reason}; no tool call is replayed after a crash until a worker lists them", worker.Generation, ex.Message);
            }
        });
    }

    // The facts tools get what only the supervisor knows, in their request's _meta.
    private ReadOnlyMemory<byte> AddFacts(ReadOnlyMemory<byte> line, string? callId)
    {
        var message = JsonNode.Parse(line.Span)!.AsObject();
        if (message["params"] is not JsonObject parameters)
        {
            return line;
        }

        if (parameters["_meta"] is not JsonObject meta)
        {
            meta = [];
            parameters["_meta"] = meta;
        }

        meta[SupervisorProtocol.FactsMetaKey] = JsonSerializer.SerializeToNode(Facts(callId), SupervisorJson.Default.SupervisorFacts);
        return Encoding.UTF8.GetBytes(message.ToJsonString());
    }

    /// <summary>What the supervisor knows now; <paramref name="excludedCallId"/> is left out of the calls in flight.</summary>
    private SupervisorFacts Facts(string? excludedCallId)
    {
        lock (_gate)
        {
            var session = _session;
            return new SupervisorFacts
            {
                InstanceId = _settings.Identity.InstanceId,
                SupervisorPid = _settings.Identity.ProcessId,
                StartedAt = StartedAt,
                State = StateName(),
                WorkerGeneration = _current?.Generation ?? _nextGeneration - 1,
                WorkerPid = _current?.ProcessId ?? 0,
                Restarts = _counters.Restarts,
                CrashRecoveries = _counters.CrashRecoveries,
                RestartInProgress = _restart is { } run
                    ? new RestartInProgressFact(WireNames.Of(run.Phase ?? RestartPhase.Preparing), WireNames.Of(run.Record.Reason), run.Record.StartedAt)
                    : null,
                Client = session.InitializeParams is null
                    ? null
                    : new ClientFact(session.Name, session.Version, session.ProtocolVersion, session.ConnectedAt, session.LastActivityAt),
                InFlight = [.. _inFlight.Items.Where(item => item.Message.Id != excludedCallId).OrderBy(item => item.ReceivedAt)
                    .Select(item => new InFlightFact(item.Message.Id!, item.Message.Method!, item.Message.ToolName, item.ReceivedAt))],
                Buffered = _buffer.Count,
            };
        }
    }

    // Under the lock.
    private string StateName() => _state switch
    {
        SupervisorState.Serving => "serving",
        SupervisorState.Critical => "critical",
        SupervisorState.Stopping => "stopping",
        _ => "restarting",
    };
}
