using System.Runtime.InteropServices;
using TaskOrchestrator.Server.Hosting;

namespace TaskOrchestrator.Server.Supervision;

/// <summary>The supervisor's life: start, serve until the client leaves or a signal comes, shut down.</summary>
internal sealed partial class Supervisor
{
    private volatile bool _shuttingDown;

    /// <summary>
    /// Serves the client on <paramref name="input"/> until it closes, <paramref name="stopRequested"/>
    /// is cancelled (the command line cancels it on SIGTERM and SIGINT) or SIGHUP arrives, then shuts
    /// down gracefully. Returns the process exit code.
    /// </summary>
    public async Task<int> RunAsync(Stream input, CancellationToken stopRequested)
    {
        var signalled = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        // SIGTERM and SIGINT are the command line's: its handler cancels stopRequested and then holds
        // the signal thread until the command returns, so a handler of ours would never run.
        using var stop = stopRequested.Register(() => signalled.TrySetResult("SIGTERM or SIGINT received"));
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Handle);

        _history.Start();
        StartFirstWorker();
        var overlong = new OverlongLines(Utf8LineTransport.DefaultMaxLineBytes, AnswerOverlongAsync);
        var reading = LineReader.ReadAsync(input, line => ClientLine.Copy(line, OnClientLineAsync), overlong, CancellationToken.None);
        var ended = await Task.WhenAny(reading, signalled.Task);
        var reason = ended == reading ? "the client closed stdin" : await signalled.Task;
        if (reading.IsFaulted)
        {
            _logger.Error(reading.Exception, "Reading the client failed");
        }

        await ShutdownAsync(reason);
        return 0;

        void Handle(PosixSignalContext context)
        {
            context.Cancel = true; // shut down in order instead of the runtime's default exit
            signalled.TrySetResult($"{context.Signal} received");
        }
    }

    /// <summary>
    /// Stops taking calls, lets a restart under way finish, lets calls in flight finish within the
    /// drain timeout, then tells the worker this is a final stop (it releases the work it holds) and
    /// waits for it to exit.
    /// </summary>
    private async Task ShutdownAsync(string reason)
    {
        _logger.Information("Supervisor shutting down: {Reason}", reason);
        _shuttingDown = true;
        var deadline = _time.GetUtcNow() + _options.ShutdownDrainTimeout;
        while (HasRestartUnderWay() && _time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), _time);
        }

        List<ClientMessage> held;
        WorkerProcess? worker;
        lock (_gate)
        {
            _state = SupervisorState.Stopping;
            held = _buffer.TakeAll();
            worker = _current;
        }

        foreach (var request in held.Where(item => item.Message.Kind == JsonRpcKind.Request))
        {
            await _client.RejectAsync(request.Message, SupervisorErrors.ShuttingDown());
        }

        if (worker is not null)
        {
            var left = deadline - _time.GetUtcNow();
            var (_, stillInFlight, _) = await DrainAsync(worker, left > TimeSpan.Zero ? left : TimeSpan.Zero);
            var detail = await StopWorkerAsync(worker, graceful: true, restart: false, "was stopped because the server is shutting down");
            _logger.Information("Final stop: {Detail}; {Left} calls were still in flight", detail, stillInFlight);

            // Stopping the worker answered the writes it held as interrupted and queued the reads for a
            // next worker; there is none, so they are answered too.
            List<ClientMessage> replays;
            lock (_gate)
            {
                replays = _buffer.TakeAll();
            }

            foreach (var request in replays.Where(item => item.Message.Kind == JsonRpcKind.Request))
            {
                await _client.RejectAsync(request.Message, SupervisorErrors.ShuttingDown());
            }
        }

        await Task.WhenAny(Task.WhenAll(_supervisorCalls.Keys), Task.Delay(_options.WorkerStopTimeout, _time));
        // No worker runs from a snapshot any more (the last one has exited, even if its exit is not
        // handled yet), and nothing will roll back to one.
        PruneConfigSnapshots(all: true);
        await _history.StopAsync($"stopped: {reason}");
    }

    private bool HasRestartUnderWay()
    {
        lock (_gate)
        {
            return _restart is not null;
        }
    }
}
