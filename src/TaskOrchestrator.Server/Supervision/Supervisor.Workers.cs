using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Mcp.Operations;
using TaskOrchestrator.Server.Hosting;

namespace TaskOrchestrator.Server.Supervision;

/// <summary>Starting workers, bringing them to serving, and what happens when one ends.</summary>
internal sealed partial class Supervisor
{
    private const string HealthCheckTool = "orchestrator_health_check";
    private const string Gen0SizeVariable = "DOTNET_GCgen0size";

    private readonly List<DateTimeOffset> _crashes = [];
    private CriticalCause? _critical;
    private WorkerLaunch? _lastGood;
    private int _nextGeneration;
    private int _nextSnapshot;

    /// <summary>What a worker was started from: the build and the configuration snapshot.</summary>
    private sealed record WorkerLaunch(WorkerBuild Build, string? ConfigFile);

    /// <summary>Starts the first worker at once, so that it is starting while the client is.</summary>
    public void StartFirstWorker()
    {
        try
        {
            var launch = new WorkerLaunch(WorkerBuild.Resolve(_options.WorkerPath), SnapshotConfig());
            var worker = Spawn(launch, preserveBinding: false);
            DecideHandshake(launch.Build);
            lock (_gate)
            {
                _current = worker;
                _state = SupervisorState.Serving;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            _logger.Error("The first worker could not be started: {Reason}", ex.Message);
            _ = RecoverAsync(null, $"the first worker could not be started: {ex.Message}", launch: null);
        }
    }

    private WorkerProcess Spawn(WorkerLaunch launch, bool preserveBinding)
    {
        int generation;
        string? binding;
        lock (_gate)
        {
            generation = _nextGeneration++;
            binding = preserveBinding ? _binding : null;
            if (!preserveBinding)
            {
                _binding = null;
            }
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [SupervisorProtocol.SupervisedVariable] = "1",
            [SupervisorProtocol.InstanceIdVariable] = _settings.Identity.InstanceId,
            [SupervisorProtocol.SupervisorPidVariable] = _settings.Identity.ProcessId.ToString(CultureInfo.InvariantCulture),
            [SupervisorProtocol.SupervisorStartTicksVariable] = _settings.Identity.ProcessStartTicks.ToString(CultureInfo.InvariantCulture),
            [SupervisorProtocol.WorkerGenerationVariable] = generation.ToString(CultureInfo.InvariantCulture),
        };
        if (binding is not null)
        {
            environment[SupervisorProtocol.BindingVariable] = binding;
        }

        // The worker holds the tasks, so it gets the 4 MiB gen0 budget of the memory target even when
        // the client starts the server without scripts/serve.sh: the workstation GC otherwise sizes
        // gen0 from the L3 cache the machine reports (260 MiB on the test VM; docs/PERFORMANCE.md).
        // The knob exists only as an environment variable, read when the runtime starts; a value the
        // client set is kept.
        if (Environment.GetEnvironmentVariable(Gen0SizeVariable) is null && Environment.GetEnvironmentVariable("COMPlus_GCgen0size") is null)
        {
            environment[Gen0SizeVariable] = "0x400000";
        }

        // glibc reads its arena cap when the worker starts: set it there (MallocArenas), unless the client did.
        if (Environment.GetEnvironmentVariable(MallocArenas.Variable) is null)
        {
            environment[MallocArenas.Variable] = MallocArenas.Cap;
        }

        List<string> arguments = [SupervisorProtocol.WorkerCommand, "--log-level", _settings.LogLevel.ToString().ToLowerInvariant() switch { "verbose" => "trace", var level => level }];
        if (_settings.Workspace is not null)
        {
            arguments.AddRange(["--workspace", _settings.Workspace]);
        }

        if (launch.ConfigFile is not null)
        {
            arguments.AddRange(["--config", launch.ConfigFile]);
        }

        if (_settings.Tools is not null)
        {
            arguments.AddRange(["--tools", _settings.Tools]);
        }

        var worker = WorkerProcess.Start(launch.Build, arguments, environment, generation, launch.ConfigFile, _time.GetUtcNow(), OnWorkerLineAsync, _logger);
        lock (_gate)
        {
            _workers[generation] = worker;
        }

        _logger.Information("Started worker {Generation} (pid {Pid}) from {Build}", generation, worker.ProcessId, launch.Build.Location);
        _ = worker.Exited.ContinueWith(exit => OnWorkerExited(worker, exit.Result), TaskScheduler.Default);
        return worker;
    }

    // A worker ended. If it was serving and nobody stopped it, that is a crash: its calls are replayed
    // or answered, and a new worker is started.
    private void OnWorkerExited(WorkerProcess worker, int exitCode)
    {
        List<ClientMessage> orphans;
        lock (_gate)
        {
            _workers.Remove(worker.Generation);
            foreach (var id in _serverRequests.Where(pair => pair.Value.Generation == worker.Generation).Select(pair => pair.Key).ToList())
            {
                _serverRequests.Remove(id);
            }

            if (worker.CrashHandled)
            {
                return;
            }

            if (worker != _current || worker.StopRequested || _state == SupervisorState.Stopping)
            {
                _logger.Information("Worker {Generation} (pid {Pid}) exited with code {ExitCode}", worker.Generation, worker.ProcessId, exitCode);
                return;
            }

            worker.CrashHandled = true;
            _current = null;
            _state = SupervisorState.Holding;
            orphans = _inFlight.TakeAll(worker.Generation);
            _crashes.Add(_time.GetUtcNow());
        }

        var cause = $"the worker process (pid {worker.ProcessId}) exited unexpectedly with code {exitCode}{SignalName(exitCode)}";
        _logger.Error("Worker {Generation} crashed: {Cause}; {Orphans} calls in flight. Its last output:{NewLine}{Tail}", worker.Generation, cause, orphans.Count, Environment.NewLine, string.Join(Environment.NewLine, worker.StderrTail.TakeLast(10)));
        _ = HandleCrashAsync(worker, cause, orphans);
    }

    private async Task HandleCrashAsync(WorkerProcess worker, string cause, List<ClientMessage> orphans)
    {
        await ResolveOrphansAsync(orphans, cause);
        await RecoverAsync(worker, cause, new WorkerLaunch(worker.Build, worker.ConfigFile));
    }

    /// <summary>
    /// The calls a worker held when it ended: read-only ones go first in line for the next worker;
    /// the others are answered with what happened and how to retry safely.
    /// </summary>
    private async Task ResolveOrphansAsync(List<ClientMessage> orphans, string cause)
    {
        List<ClientMessage> replays = [], interrupted = [], exhausted = [];
        lock (_gate)
        {
            foreach (var request in orphans)
            {
                var list = !IsReplayable(request) ? interrupted : request.Replays >= 2 ? exhausted : replays;
                list.Add(request);
            }

            foreach (var request in replays)
            {
                request.Replays++;
                request.Generation = -1;
            }

            _buffer.AddFirst(replays);
            _counters.Replayed += replays.Count;
            _counters.Interrupted += interrupted.Count + exhausted.Count;
        }

        foreach (var request in interrupted)
        {
            await _client.RejectAsync(request.Message, SupervisorErrors.Interrupted(request, cause, IdempotencyKeyOf(request.Line)));
        }

        foreach (var request in exhausted)
        {
            await _client.RejectAsync(request.Message, SupervisorErrors.ReplayLimit(request, cause));
        }
    }

    private bool IsReplayable(ClientMessage request) => request.Message.IsToolCall
        ? request.Message.ToolName is { } tool && _readOnlyTools.Contains(tool)
        : request.Message.Method is { } method && ReplayableMethods.Contains(method);

    private static string? IdempotencyKeyOf(ReadOnlyMemory<byte> line)
    {
        try
        {
            return JsonNode.Parse(line.Span)?["params"]?["arguments"]?["idempotency_key"] is JsonValue key && key.TryGetValue<string>(out var text) ? text : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Brings a started worker to serving: the client's session initialized on it (loading state) and
    /// its health checked, all before <paramref name="deadline"/>. Kills the worker if it fails.
    /// </summary>
    private async Task<WorkerProcess> BringUpAsync(RestartRun run, WorkerLaunch launch, bool preserveBinding, DateTimeOffset deadline, bool recordPhases = true, bool acceptCritical = false)
    {
        if (recordPhases)
        {
            run.Begin(RestartPhase.Starting);
        }

        WorkerProcess worker;
        try
        {
            worker = Spawn(launch, preserveBinding);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            throw new WorkerFailedException($"the worker could not be started from '{launch.Build.Location}': {ex.Message}", ex);
        }

        if (recordPhases)
        {
            run.End(true, $"worker {worker.Generation} started (pid {worker.ProcessId}) from {launch.Build.Location}" + (launch.ConfigFile is null ? string.Empty : $" with configuration {launch.ConfigFile}"));
        }

        using var timeout = new CancellationTokenSource(Remaining(deadline), _time);
        try
        {
            if (recordPhases)
            {
                run.Begin(RestartPhase.LoadingState);
            }

            var initialize = Session.InitializeParams;
            if (initialize is not null)
            {
                var answer = await RequestWorkerAsync(worker, "initialize", initialize.DeepClone(), timeout.Token);
                worker.Version = answer.TryGetProperty("serverInfo", out var info) && info.TryGetProperty("version", out var version) ? version.GetString() : null;
                await worker.SendAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}"""u8.ToArray());
            }

            if (recordPhases)
            {
                run.End(true, initialize is null
                    ? "the client has not initialized yet; its initialize goes to this worker"
                    : $"the client's session initialized on worker {worker.Generation} (server version {worker.Version})");
                run.Begin(RestartPhase.HealthCheck);
            }

            var health = initialize is null ? "skipped until the client initializes" : await CheckHealthAsync(worker, acceptCritical, timeout.Token);
            if (recordPhases)
            {
                run.End(true, health);
            }

            lock (_gate)
            {
                _lastGood = launch;
            }

            return worker;
        }
        catch (Exception ex) when (ex is WorkerFailedException or OperationCanceledException)
        {
            worker.StopRequested = true;
            worker.Kill();
            var reason = ex is OperationCanceledException
                ? $"worker {worker.Generation} (pid {worker.ProcessId}) was not serving and healthy within the timeout"
                : ex.Message;
            var tail = worker.StderrTail.TakeLast(5).ToList();
            var message = tail.Count == 0 ? reason : $"{reason}; its last output: {string.Join(" | ", tail)}";
            if (recordPhases)
            {
                run.End(false, message);
            }

            throw new WorkerFailedException(message, worker);
        }
    }

    private WorkerLaunch? LastGood()
    {
        lock (_gate)
        {
            return _lastGood;
        }
    }

    /// <summary>
    /// The running worker's health status (healthy, degraded or critical) before a restart, or null
    /// when it does not answer within five seconds.
    /// </summary>
    private async Task<string?> BaselineHealthAsync(WorkerProcess worker)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), _time);
        try
        {
            var (status, _, _) = await HealthOfAsync(worker, timeout.Token);
            return status;
        }
        catch (Exception ex) when (ex is WorkerFailedException or OperationCanceledException or JsonException)
        {
            return null;
        }
    }

    // The new worker's own health check must answer, and not be critical unless that is accepted (the
    // old worker was critical too, or this is the last good build); its tool list is learned on the way.
    private async Task<string> CheckHealthAsync(WorkerProcess worker, bool acceptCritical, CancellationToken cancellationToken)
    {
        var tools = await RequestWorkerAsync(worker, "tools/list", null, cancellationToken);
        LearnTools(tools);
        var (status, structured, result) = await HealthOfAsync(worker, cancellationToken);
        if (status is null || status == "critical" && !acceptCritical)
        {
            throw new WorkerFailedException($"worker {worker.Generation}'s health check was {status ?? "an error"}: {HealthReasons(structured, result)}", worker);
        }

        return status switch
        {
            "healthy" => "health check healthy",
            "critical" => $"health check critical, accepted because the worker it replaces was critical too or this is the last good build: {HealthReasons(structured, result)}",
            _ => $"health check {status}: {HealthReasons(structured, result)}",
        };
    }

    // Calls the worker's health check; the status is null when the call failed.
    private async Task<(string? Status, JsonElement Structured, JsonElement Result)> HealthOfAsync(WorkerProcess worker, CancellationToken cancellationToken)
    {
        var parameters = new JsonObject
        {
            ["name"] = HealthCheckTool,
            ["arguments"] = new JsonObject { ["include_database_status"] = true, ["include_connection_status"] = false, ["include_reboot_readiness"] = false },
            ["_meta"] = new JsonObject { [SupervisorProtocol.FactsMetaKey] = JsonSerializer.SerializeToNode(Facts(null), SupervisorJson.Default.SupervisorFacts) },
        };
        var result = await RequestWorkerAsync(worker, "tools/call", parameters, cancellationToken);
        var structured = result.TryGetProperty("structuredContent", out var content) ? content : default;
        var status = structured.ValueKind == JsonValueKind.Object && structured.TryGetProperty("status", out var value) ? value.GetString() : null;
        var failed = result.TryGetProperty("isError", out var isError) && isError.ValueKind == JsonValueKind.True;
        return (failed ? null : status, structured, result);
    }

    private static string HealthReasons(JsonElement structured, JsonElement result)
    {
        if (structured.ValueKind == JsonValueKind.Object && structured.TryGetProperty("reasons", out var reasons) && reasons.ValueKind == JsonValueKind.Array)
        {
            return string.Join("; ", reasons.EnumerateArray().Select(reason => reason.ToString()));
        }

        return result.TryGetProperty("content", out var content) ? content.GetRawText() : result.GetRawText();
    }

    // Which tools are read-only (replayable) comes from the worker's own annotations.
    private void LearnTools(JsonElement toolsList)
    {
        var readOnly = new HashSet<string>(StringComparer.Ordinal);
        var schemas = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (toolsList.TryGetProperty("tools", out var tools))
        {
            foreach (var tool in tools.EnumerateArray())
            {
                var name = tool.GetProperty("name").GetString()!;
                if (tool.TryGetProperty("annotations", out var annotations) && annotations.TryGetProperty("readOnlyHint", out var hint) && hint.ValueKind == JsonValueKind.True)
                {
                    readOnly.Add(name);
                }

                if (tool.TryGetProperty("inputSchema", out var schema))
                {
                    schemas[name] = schema.Clone();
                }
            }
        }

        var fingerprint = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(toolsList.GetRawText())));
        bool changed;
        lock (_gate)
        {
            changed = _toolsFingerprint is not null && _toolsFingerprint != fingerprint;
            _toolsFingerprint = fingerprint;
            _readOnlyTools = readOnly;
            _inputSchemas = schemas;
        }

        _toolsLearned.TrySetResult();

        if (changed)
        {
            _toolsChanged = true;
        }
    }

    /// <summary>Makes <paramref name="worker"/> the serving one and delivers what was held, in order.</summary>
    private async Task<int> ResumeAsync(WorkerProcess worker)
    {
        if (_shuttingDown)
        {
            lock (_gate)
            {
                _current = worker; // the shutdown under way stops it
            }

            return 0;
        }

        lock (_gate)
        {
            _current = worker;
            _critical = null;
            _state = SupervisorState.Holding;
        }

        // A worker that died after its health check and before it was made current was not seen as a
        // crash (it was not serving yet); now it is.
        if (worker.Exited.IsCompleted)
        {
            OnWorkerExited(worker, await worker.Exited);
            return 0;
        }

        var delivered = 0;
        while (true)
        {
            ClientMessage? message;
            lock (_gate)
            {
                if (_current != worker)
                {
                    return delivered;
                }

                if (!_buffer.TryTake(out message))
                {
                    _state = SupervisorState.Serving;
                    break;
                }

                if (message!.Message.Kind == JsonRpcKind.Request)
                {
                    message.Generation = worker.Generation;
                    message.BeginSend();
                    _inFlight.Add(message);
                }
            }

            await SendAsync(worker, message);
            delivered++;
        }

        if (_toolsChanged && Session.Initialized)
        {
            _toolsChanged = false;
            await _client.NotifyAsync("notifications/tools/list_changed");
        }

        return delivered;
    }

    /// <summary>
    /// Replaces a worker that crashed (or that could not be started), with growing delays, until one
    /// serves or the crashes come too fast: then the supervisor is critical.
    /// </summary>
    private async Task RecoverAsync(WorkerProcess? crashed, string cause, WorkerLaunch? launch)
    {
        var run = new RestartRun(NewRecord(RestartKind.CrashRecovery, RestartReason.ErrorRecovery, graceful: false, "supervisor", crashed?.Version) with { Error = cause }, _time);
        lock (_gate)
        {
            _restart = run;
            _counters.CrashRecoveries++;
        }

        await _history.SaveAsync(run.Record, isNew: true);
        var lastCause = cause;
        for (var attempt = 0; !_shuttingDown; attempt++)
        {
            int recent;
            lock (_gate)
            {
                var since = _time.GetUtcNow() - _options.CrashWindow;
                _crashes.RemoveAll(at => at < since);
                recent = _crashes.Count;
            }

            if (recent >= _options.CrashLoopLimit)
            {
                var critical = $"workers ended {recent} times within {_options.CrashWindow.TotalSeconds:0} s and the supervisor stopped restarting them. The last cause: {lastCause}";
                run.Finish(RestartOutcome.Failed, critical);
                await EnterCriticalAsync(critical);
                break;
            }

            await Task.Delay(Backoff(recent), _time);
            try
            {
                // A crashed worker is replaced by the build that last served, not by whatever the link points at now.
                launch ??= LastGood() ?? new WorkerLaunch(WorkerBuild.Resolve(_options.WorkerPath), SnapshotConfig());
                var worker = await BringUpAsync(run, launch, preserveBinding: true, _time.GetUtcNow() + _options.StartupTimeout, acceptCritical: true);
                run.Begin(RestartPhase.Resuming);
                var delivered = await ResumeAsync(worker);
                run.End(true, $"{delivered} held messages delivered to worker {worker.Generation}");
                run.SetVersions(null, worker.Version);
                run.Finish(RestartOutcome.Succeeded, null);
                break;
            }
            catch (Exception ex) when (ex is WorkerFailedException or IOException or UnauthorizedAccessException)
            {
                lastCause = ex.Message;
                _logger.Error("Crash recovery attempt {Attempt} failed: {Reason}", attempt + 1, ex.Message);
                lock (_gate)
                {
                    _crashes.Add(_time.GetUtcNow());
                }
            }
        }

        lock (_gate)
        {
            _restart = null;
        }

        await _history.SaveAsync(run.Record, isNew: false);
        PruneConfigSnapshots();
    }

    private TimeSpan Backoff(int recentCrashes)
    {
        var factor = Math.Pow(2, Math.Max(0, recentCrashes - 1));
        var delay = TimeSpan.FromTicks((long)Math.Min(_options.CrashBackoff.Ticks * factor, _options.MaxCrashBackoff.Ticks));
        return delay;
    }

    // No worker, no more restarts: every held and every new request gets the cause until someone
    // fixes it and asks for a restart.
    private async Task EnterCriticalAsync(string message)
    {
        List<ClientMessage> held;
        var cause = new CriticalCause(message, _settings.LogFile, _time.GetUtcNow());
        lock (_gate)
        {
            _critical = cause;
            _state = SupervisorState.Critical;
            _current = null;
            held = _buffer.TakeAll();
            _counters.Rejected += held.Count(item => item.Message.Kind == JsonRpcKind.Request);
        }

        _logger.Fatal("The supervisor is critical: {Cause}. Logs: {LogFile}", message, _settings.LogFile ?? "stderr");
        foreach (var request in held.Where(item => item.Message.Kind == JsonRpcKind.Request))
        {
            await _client.RejectAsync(request.Message, SupervisorErrors.Critical(cause));
        }
    }

    /// <summary>
    /// A copy of the configuration file for the next worker, so that a later edit cannot change what a
    /// rollback starts. Null without --config; the file itself if no copy can be written.
    /// </summary>
    private string? SnapshotConfig()
    {
        if (_settings.ConfigFile is not { } source)
        {
            return null;
        }

        var full = Path.GetFullPath(source);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"The configuration file '{full}' does not exist.");
        }

        var folder = Path.Combine(_settings.StartupWorkspace, ".task-orchestrator", "supervisor");
        try
        {
            Directory.CreateDirectory(folder);
            var snapshot = Path.Combine(folder, $"config-{_settings.Identity.InstanceId}-{Interlocked.Increment(ref _nextSnapshot)}.json");
            File.Copy(full, snapshot, overwrite: true);
            return snapshot;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.Warning("Could not keep a copy of {ConfigFile} for rollback ({Reason}); the worker reads it directly", full, ex.Message);
            return full;
        }
    }

    /// <summary>
    /// Deletes this supervisor's configuration snapshots that no worker runs from and no rollback can
    /// return to: after each restart or crash recovery, and all of them (<paramref name="all"/>) when
    /// it stops. Snapshots of other supervisors are theirs; a supervisor killed outright leaves its
    /// last one or two behind.
    /// </summary>
    private void PruneConfigSnapshots(bool all = false)
    {
        if (_settings.ConfigFile is null)
        {
            return;
        }

        var folder = Path.Combine(_settings.StartupWorkspace, ".task-orchestrator", "supervisor");
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        if (!all)
        {
            lock (_gate)
            {
                referenced.UnionWith(new[] { _lastGood?.ConfigFile, _current?.ConfigFile }.Concat(_workers.Values.Select(w => w.ConfigFile)).OfType<string>());
            }
        }

        try
        {
            foreach (var snapshot in Directory.EnumerateFiles(folder, $"config-{_settings.Identity.InstanceId}-*.json"))
            {
                if (!referenced.Contains(snapshot))
                {
                    File.Delete(snapshot);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.Warning("Could not delete old configuration snapshots in {Folder}: {Reason}", folder, ex.Message);
        }
    }

    private static string SignalName(int exitCode) => exitCode switch
    {
        137 => " (killed: SIGKILL)",
        143 => " (terminated: SIGTERM)",
        134 => " (aborted: SIGABRT)",
        139 => " (segmentation fault: SIGSEGV)",
        130 => " (interrupted: SIGINT)",
        _ => string.Empty,
    };

    private TimeSpan Remaining(DateTimeOffset deadline)
    {
        var left = deadline - _time.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1);
    }
}
