using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Mcp.Operations.Health;
using TaskOrchestrator.Mcp.Operations.Instances;
using TaskOrchestrator.Mcp.Operations.Lifecycle;
using TaskOrchestrator.Mcp.Workspaces;

namespace TaskOrchestrator.Server.Operations;

/// <summary>
/// Shuts the worker down gracefully, whatever stopped it (SIGTERM, SIGINT, end of stdin). Before the
/// MCP server stops: refuse new tool calls, mark this instance stopping, wait for the calls in flight
/// up to Shutdown:DrainTimeout. After it stopped: release the work this instance holds (unless the
/// supervisor announced a restart, whose next worker keeps it), mark the rows stopped, checkpoint
/// every store. Each step is logged; a step that fails does not keep the others from running.
/// </summary>
internal sealed partial class GracefulShutdown : IHostedLifecycleService
{
    private readonly WorkerLifecycle _lifecycle;
    private readonly InFlightCalls _calls;
    private readonly WorkspaceRegistry _workspaces;
    private readonly InstanceRegistrar _registrar;
    private readonly InstanceIdentity _identity;
    private readonly ProcessInspector _processes;
    private readonly TimeProvider _time;
    private readonly ShutdownOptions _options;
    private readonly ILogger<GracefulShutdown> _logger;

    public GracefulShutdown(WorkerLifecycle lifecycle, InFlightCalls calls, WorkspaceRegistry workspaces, InstanceRegistrar registrar, InstanceIdentity identity, ProcessInspector processes, TimeProvider time, IOptions<ShutdownOptions> options, ILogger<GracefulShutdown> logger)
    {
        _lifecycle = lifecycle;
        _calls = calls;
        _workspaces = workspaces;
        _registrar = registrar;
        _identity = identity;
        _processes = processes;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs before any service stops, while the MCP server still answers the calls in flight.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (!_lifecycle.BeginShutdown())
        {
            return;
        }

        LogStopAccepting(_logger, _calls.Count);
        foreach (var workspace in _workspaces.Open)
        {
            await StepAsync("marking the instance stopping", workspace, () => _registrar.SetStateAsync(workspace.Store, InstanceState.Stopping, "shutting down", includeSupervisor: false, cancellationToken));
        }

        if (_calls.Count > 0)
        {
            var started = _time.GetTimestamp();
            var drained = await _calls.WaitForDrainAsync(_options.DrainTimeout, cancellationToken);
            var waited = _time.GetElapsedTime(started).TotalMilliseconds;
            if (drained)
            {
                LogDrained(_logger, waited);
            }
            else
            {
                var remaining = string.Join(", ", _calls.Snapshot().Select(c => $"{c.Tool} #{c.RequestId}"));
                LogNotDrained(_logger, _calls.Count, _options.DrainTimeout.TotalSeconds, remaining);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs after every service stopped: no call runs any more.</summary>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        var restart = _lifecycle.RestartAnnounced;
        bool release = ShouldRelease(restart);
        LogFinishing(_logger, restart switch { true => "restart announced", false => "final stop announced", null => "no announcement" }, release, _identity.HolderId);
        foreach (var workspace in _workspaces.Open)
        {
            if (release)
            {
                await StepAsync("releasing held work", workspace, () => ReleaseAsync(workspace, cancellationToken));
            }

            var detail = restart == true ? "stopped gracefully for a restart" : "stopped gracefully";
            await StepAsync("marking the instance stopped", workspace, () => _registrar.SetStateAsync(workspace.Store, InstanceState.Stopped, detail, includeSupervisor: restart == false, cancellationToken));
            await StepAsync("checkpointing the write-ahead log", workspace, async () =>
            {
                var result = await workspace.Store.Diagnostics.CheckpointAsync(truncate: true, cancellationToken);
                LogCheckpointed(_logger, workspace.Root, result.CheckpointedFrames, result.LogFrames, result.Busy);
            });
        }

        LogFinished(_logger, _workspaces.Open.Count);
    }

    // A worker releases what it holds only when nobody will take it over: it runs alone, or its
    // supervisor said this is the final stop, or (no word from it) the supervisor is gone.
    private bool ShouldRelease(bool? restart) => _identity.Supervisor switch
    {
        null => true,
        { } supervisor => restart switch
        {
            true => false,
            false => true,
            null => !_processes.IsAlive(supervisor.ProcessId, supervisor.ProcessStartTicks),
        },
    };

    private async Task ReleaseAsync(WorkspaceContext workspace, CancellationToken cancellationToken)
    {
        await using var unit = await workspace.Store.BeginWriteAsync(cancellationToken);
        var released = await WorkReclaimer.ReleaseHeldByAsync(unit, new Dictionary<string, string> { [_identity.HolderId] = WorkReclaimer.Shutdown }, _time.Now(), cancellationToken);
        await unit.CommitAsync(cancellationToken);
        var pending = string.Join(", ", released.Where(r => r.BackToPending).Select(r => r.Task.Id));
        var kept = string.Join(", ", released.Where(r => !r.BackToPending).Select(r => $"{r.Task.Id} ({r.Task.AssignedAgent})"));
        LogReleased(_logger, released.Count, workspace.Root, pending.Length == 0 ? "none" : pending, kept.Length == 0 ? "none" : kept);
    }

    private async Task StepAsync(string step, WorkspaceContext workspace, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (HealthProbe.IsStoreFailure(ex) || ex is OperationCanceledException)
        {
            LogStepFailed(_logger, step, workspace.Root, HealthProbe.Describe(ex));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: new tool calls are refused; {InFlight} in flight")]
    private static partial void LogStopAccepting(ILogger logger, int inFlight);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutdown: every call in flight finished after {Milliseconds} ms")]
    private static partial void LogDrained(ILogger logger, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown: {Count} calls still in flight after the {Seconds} s drain timeout are cancelled: {Calls}")]
    private static partial void LogNotDrained(ILogger logger, int count, double seconds, string calls);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutdown: server stopped ({Announcement}); releasing work held as {HolderId}: {Release}")]
    private static partial void LogFinishing(ILogger logger, string announcement, bool release, string holderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutdown: let go of {Count} tasks in progress in workspace {Workspace}; back to pending: {Pending}; kept by their agents until their leases end: {Kept}")]
    private static partial void LogReleased(ILogger logger, int count, string workspace, string pending, string kept);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutdown: checkpointed workspace {Workspace}: {Checkpointed} of {Frames} log frames (busy: {Busy})")]
    private static partial void LogCheckpointed(ILogger logger, string workspace, int checkpointed, int frames, bool busy);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown: {Step} failed in workspace {Workspace}: {Reason}")]
    private static partial void LogStepFailed(ILogger logger, string step, string workspace, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutdown complete: {Workspaces} workspaces left stopped and checkpointed")]
    private static partial void LogFinished(ILogger logger, int workspaces);
}
