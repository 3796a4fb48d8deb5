using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Mcp.Operations;

namespace TaskOrchestrator.Server.Supervision;

/// <summary>A restart asked for by a client or the health monitor.</summary>
/// <param name="Reason">Why.</param>
/// <param name="Graceful">Drain calls in flight and let the worker stop itself; false kills it at once.</param>
/// <param name="PreserveState">Keep the session binding and the work the worker holds for the next worker.</param>
/// <param name="Timeout">How long draining may take, and how long the new worker has to be serving and healthy.</param>
/// <param name="RequestedBy">Who asked.</param>
internal sealed record RestartRequest(RestartReason Reason, bool Graceful, bool PreserveState, TimeSpan Timeout, string RequestedBy);

/// <summary>The restart procedure: preparing, draining, stopping, starting, loading state, health check, resuming, or rolling back.</summary>
internal sealed partial class Supervisor
{
    private static readonly IdGenerator Ids = new(TimeProvider.System);

    /// <summary>
    /// Replaces the worker with one started from the build and configuration as they are now. Returns
    /// the finished record (succeeded, rolled back or failed); throws <see cref="OrchestratorException"/>
    /// when another restart is under way.
    /// </summary>
    public async Task<RestartRecord> RestartAsync(RestartRequest request)
    {
        await FirstInitialization();
        WorkerProcess? old;
        var run = new RestartRun(NewRecord(RestartKind.Restart, request.Reason, request.Graceful, request.RequestedBy, null), _time);
        lock (_gate)
        {
            if (_restart is { } underWay)
            {
                throw new OrchestratorException(SupervisorErrors.RestartInProgress(WireNames.Of(underWay.Phase ?? RestartPhase.Preparing), WireNames.Of(underWay.Record.Reason)));
            }

            if (_state == SupervisorState.Stopping)
            {
                throw new OrchestratorException(SupervisorErrors.ShuttingDown());
            }

            _restart = run;
            _counters.Restarts++;
            old = _current;
        }

        run.SetVersions(old?.Version, null);
        await _history.SaveAsync(run.Record, isNew: true);
        try
        {
            await RunRestartAsync(run, request, old);
        }
        finally
        {
            lock (_gate)
            {
                _restart = null;
            }

            await _history.SaveAsync(run.Record, isNew: false);
            PruneConfigSnapshots();
            _logger.Information("Restart {RestartId} ({Reason}) ended {Outcome}{Error}", run.Record.Id, run.Record.Reason, run.Record.Outcome, run.Record.Error is null ? string.Empty : ": " + run.Record.Error);
        }

        return run.Record;
    }

    private async Task RunRestartAsync(RestartRun run, RestartRequest request, WorkerProcess? old)
    {
        // Preparing: the build and configuration the new worker will run, checked before anything stops.
        run.Begin(RestartPhase.Preparing);
        WorkerLaunch launch;
        try
        {
            launch = new WorkerLaunch(WorkerBuild.Resolve(_options.WorkerPath), SnapshotConfig());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            run.Finish(RestartOutcome.Failed, $"nothing was stopped: {ex.Message}");
            return;
        }

        var sameBuild = old is not null && old.Build.Location == launch.Build.Location;

        // The running worker's health is the baseline: a new worker is refused for being critical only
        // when the old one was not. A restart cannot fix a full disk, and must not turn it into an outage.
        var baseline = old is null ? null : await BaselineHealthAsync(old);
        run.End(true, $"build {launch.Build.Location}{(old is null ? string.Empty : sameBuild ? " (the running one)" : $" (was {old.Build.Location})")}; configuration {launch.ConfigFile ?? "from the environment"}; running worker's health {baseline ?? "unknown"}");

        // Draining: new calls are held; calls in flight get until the timeout to finish.
        run.Begin(RestartPhase.Draining);
        lock (_gate)
        {
            _state = SupervisorState.Holding;
        }

        if (old is null)
        {
            run.End(true, "no worker was running");
        }
        else if (!request.Graceful)
        {
            run.End(true, $"not graceful: {InFlightCount(old)} calls in flight not waited for");
        }
        else
        {
            var (drained, left, waited) = await DrainAsync(old, request.Timeout);
            run.End(left == 0, left == 0
                ? $"{drained} calls in flight finished in {waited.TotalMilliseconds:0} ms"
                : $"{left} calls still in flight after {waited.TotalSeconds:0.#} s; they are replayed if read-only, otherwise answered as interrupted");
        }

        // Stopping: a graceful worker is told and closes itself; otherwise it is killed.
        if (old is not null)
        {
            run.Begin(RestartPhase.Stopping);
            var detail = await StopWorkerAsync(old, request.Graceful, request.PreserveState, "was stopped by a restart before answering");
            run.End(true, detail);
        }

        // Starting, loading state, health check: the new worker must be serving and healthy in time.
        WorkerProcess worker;
        try
        {
            worker = await BringUpAsync(run, launch, request.PreserveState, _time.GetUtcNow() + request.Timeout, acceptCritical: baseline == "critical");
        }
        catch (WorkerFailedException failure)
        {
            if (await RollBackAsync(run, request, failure.Message) is not { } previous)
            {
                return;
            }

            worker = previous;
        }

        // Resuming: held calls go to the new worker in the order they came.
        run.Begin(RestartPhase.Resuming);
        var delivered = await ResumeAsync(worker);
        run.End(true, $"{delivered} held messages delivered to worker {worker.Generation}");
        run.SetVersions(null, worker.Version);
        if (run.Record.Outcome == RestartOutcome.InProgress)
        {
            run.Finish(RestartOutcome.Succeeded, null);
        }
    }

    // The new build failed: the previous build and configuration are started again.
    private async Task<WorkerProcess?> RollBackAsync(RestartRun run, RestartRequest request, string failure)
    {
        WorkerLaunch? previous;
        lock (_gate)
        {
            previous = _lastGood;
        }

        run.Begin(RestartPhase.RollingBack);
        if (previous is null)
        {
            var message = $"the new worker failed ({failure}) and no earlier worker ever served to roll back to";
            run.Finish(RestartOutcome.Failed, message);
            await EnterCriticalAsync(message);
            return null;
        }

        try
        {
            // The previous build is the best there is: it serves even if its health check is critical.
            var worker = await BringUpAsync(run, previous, request.PreserveState, _time.GetUtcNow() + request.Timeout, recordPhases: false, acceptCritical: true);
            run.End(true, $"worker {worker.Generation} started again from the previous build {previous.Build.Location}" + (previous.ConfigFile is null ? string.Empty : $" and configuration {previous.ConfigFile}"));
            run.Finish(RestartOutcome.RolledBack, failure);
            lock (_gate)
            {
                _counters.RolledBack++;
            }

            return worker;
        }
        catch (WorkerFailedException rollbackFailure)
        {
            var message = $"the new worker failed ({failure}) and so did the previous build ({rollbackFailure.Message})";
            run.Finish(RestartOutcome.Failed, message);
            await EnterCriticalAsync(message);
            return null;
        }
    }

    private async Task<(int Drained, int Left, TimeSpan Waited)> DrainAsync(WorkerProcess worker, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        var initial = InFlightCount(worker);
        while (InFlightCount(worker) is var left && left > 0)
        {
            if (Stopwatch.GetElapsedTime(started) >= timeout || worker.Exited.IsCompleted)
            {
                return (initial - left, left, Stopwatch.GetElapsedTime(started));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5), _time);
        }

        return (initial, 0, Stopwatch.GetElapsedTime(started));
    }

    private int InFlightCount(WorkerProcess worker)
    {
        lock (_gate)
        {
            return _inFlight.CountFor(worker.Generation);
        }
    }

    /// <summary>
    /// Stops a worker on purpose and settles the calls it still held. Graceful: it is told whether a
    /// new worker takes over, its stdin is closed, and it is killed only if it outlives the stop timeout.
    /// </summary>
    private async Task<string> StopWorkerAsync(WorkerProcess worker, bool graceful, bool restart, string orphanCause)
    {
        worker.StopRequested = true;
        var started = Stopwatch.GetTimestamp();
        string how;
        if (graceful && !worker.Exited.IsCompleted)
        {
            var stopping = new JsonObject
            {
                ["jsonrpc"] = "2.0",
                ["method"] = SupervisorProtocol.StoppingMethod,
                ["params"] = JsonSerializer.SerializeToNode(new StoppingParams(restart), SupervisorJson.Default.StoppingParams),
            };
            await worker.SendAsync(Encoding.UTF8.GetBytes(stopping.ToJsonString()));
            worker.CloseInput();
            var exited = await Task.WhenAny(worker.Exited, Task.Delay(_options.WorkerStopTimeout, _time)) == worker.Exited;
            if (!exited)
            {
                worker.Kill();
            }

            how = exited ? "stopped itself" : $"did not stop within {_options.WorkerStopTimeout.TotalSeconds:0} s and was killed";
        }
        else
        {
            worker.Kill();
            how = "was killed";
        }

        var code = await worker.Exited;
        List<ClientMessage> orphans;
        lock (_gate)
        {
            orphans = _inFlight.TakeAll(worker.Generation);
            if (_current == worker)
            {
                _current = null;
            }
        }

        await ResolveOrphansAsync(orphans, $"the worker process (pid {worker.ProcessId}) {orphanCause}");
        return $"worker {worker.Generation} (pid {worker.ProcessId}) {how} in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms (exit code {code})"
            + (orphans.Count == 0 ? string.Empty : $"; {orphans.Count} calls it held were replayed or answered as interrupted");
    }

    // The worker's health monitor asks to be replaced after repeated critical checks.
    private void OnRestartRequested(WorkerProcess worker, ReadOnlyMemory<byte> line)
    {
        RestartRequestedParams? request;
        try
        {
            request = JsonSerializer.Deserialize(JsonDocument.Parse(line).RootElement.GetProperty("params"), SupervisorJson.Default.RestartRequestedParams);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            _logger.Warning("Ignored a malformed restart request from worker {Generation}: {Reason}", worker.Generation, ex.Message);
            return;
        }

        var reason = WireNames.TryParse<RestartReason>(request?.Reason, out var parsed) ? parsed : RestartReason.ErrorRecovery;
        _logger.Warning("Worker {Generation} asks to be replaced ({Reason}): {Detail}", worker.Generation, request?.Reason, request?.Detail);
        _ = Task.Run(async () =>
        {
            try
            {
                await RestartAsync(new RestartRequest(reason, Graceful: true, PreserveState: true, _options.StartupTimeout, "health_monitor"));
            }
            catch (OrchestratorException ex)
            {
                _logger.Information("The worker's restart request was not acted on: {Reason}", ex.Error.Message);
            }
        });
    }

    private RestartRecord NewRecord(RestartKind kind, RestartReason reason, bool graceful, string requestedBy, string? fromVersion) => new()
    {
        Id = Ids.New("rst"),
        WorkspaceId = _history.WorkspaceId,
        InstanceId = _settings.Identity.InstanceId,
        Kind = kind,
        Reason = reason,
        Graceful = graceful,
        RequestedBy = requestedBy,
        StartedAt = _time.GetUtcNow(),
        FromVersion = fromVersion,
    };
}
