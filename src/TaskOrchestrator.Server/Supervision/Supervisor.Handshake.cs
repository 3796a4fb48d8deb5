using System.Text.Json;
using System.Text.Json.Nodes;

namespace TaskOrchestrator.Server.Supervision;

/// <summary>
/// The client's first handshake, answered by the supervisor while its first worker starts. A worker
/// takes a few hundred milliseconds to start (the runtime, then its tools); the client need not wait
/// for that to learn what the server is. When the first worker runs the supervisor's own build, the
/// supervisor answers <c>initialize</c> as that worker's SDK would (<see cref="HandshakeAnswer"/>),
/// holds the client's next messages, initializes the worker with the client's own parameters exactly
/// as after a restart, and then delivers what it held.
/// </summary>
internal sealed partial class Supervisor
{
    private bool _answersHandshake;
    private Task _firstInitialization = Task.CompletedTask;

    // Decided when the first worker starts: only a worker of this very build answers as this build would.
    private void DecideHandshake(WorkerBuild build)
    {
        try
        {
            _answersHandshake = _options.AnswerHandshake && build.Location == WorkerBuild.Resolve(null).Location;
        }
        catch (FileNotFoundException)
        {
            _answersHandshake = false;
        }
    }

    /// <summary>Answers the client's first initialize itself when it can; false sends it on to a worker.</summary>
    private async ValueTask<bool> TryAnswerHandshakeAsync(ReadOnlyMemory<byte> line, JsonRpcMessage message, DateTimeOffset now)
    {
        var parameters = JsonNode.Parse(line.Span)?["params"];
        if (HandshakeAnswer.For(parameters) is not { } answer)
        {
            return false;
        }

        WorkerProcess worker;
        lock (_gate)
        {
            if (!_answersHandshake || _session.InitializeParams is not null || _state != SupervisorState.Serving || _current is null)
            {
                return false;
            }

            _answersHandshake = false;
            worker = _current;
            _state = SupervisorState.Holding; // the client's next messages wait for the worker
            RecordInitialize(parameters, now, answer["protocolVersion"]!.GetValue<string>());
            _firstInitialization = Task.Run(() => InitializeFirstWorkerAsync(worker, parameters!.DeepClone(), answer.DeepClone()));
        }

        await _client.AnswerAsync(message.Id!, answer);
        return true;
    }

    private async Task InitializeFirstWorkerAsync(WorkerProcess worker, JsonNode parameters, JsonNode promised)
    {
        using var timeout = new CancellationTokenSource(_options.StartupTimeout, _time);
        try
        {
            var answer = await RequestWorkerAsync(worker, "initialize", parameters, timeout.Token);
            worker.Version = answer.TryGetProperty("serverInfo", out var info) && info.TryGetProperty("version", out var version) ? version.GetString() : null;
            if (!JsonNode.DeepEquals(JsonNode.Parse(answer.GetRawText()), promised))
            {
                _logger.Warning("Worker {Generation} answered the handshake differently from the supervisor, which answered the client: {Worker} instead of {Promised}", worker.Generation, answer.GetRawText(), promised.ToJsonString());
            }

            lock (_gate)
            {
                _lastGood ??= new WorkerLaunch(worker.Build, worker.ConfigFile);
                if (_current != worker || _restart is not null)
                {
                    return; // replaced meanwhile: whoever replaced it delivers what is held
                }
            }

            _logger.Debug("Worker {Generation} initialized with the client's session; delivering what was held", worker.Generation);
            await ResumeAsync(worker);
            LearnTools(await RequestWorkerAsync(worker, "tools/list", null, timeout.Token));
        }
        catch (Exception ex) when (ex is WorkerFailedException or OperationCanceledException or JsonException)
        {
            if (_shuttingDown || worker.Exited.IsCompleted)
            {
                return; // a worker that died is replaced by crash recovery, which initializes the next one
            }

            // A worker that cannot take the session is replaced as if it had crashed.
            _logger.Error("Worker {Generation} could not take the client's session: {Reason}; it is stopped and replaced", worker.Generation, ex is OperationCanceledException ? $"no answer within {_options.StartupTimeout.TotalSeconds:0} s" : ex.Message);
            worker.Kill();
        }
    }

    // A restart waits for the first worker to be serving the client's session (or replaced).
    private Task FirstInitialization()
    {
        lock (_gate)
        {
            return _firstInitialization;
        }
    }
}
