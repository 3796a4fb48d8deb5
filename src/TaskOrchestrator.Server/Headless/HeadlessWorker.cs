using Microsoft.Extensions.Logging;
using TaskOrchestrator.Core.Agents;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks.Claims;
using TaskOrchestrator.Core.Tasks.Completion;
using TaskOrchestrator.Core.Tasks.Editing;
using TaskOrchestrator.Mcp.Operations.Health;
using TaskOrchestrator.Mcp.Operations.Instances;
using TaskOrchestrator.Mcp.Workspaces;

namespace TaskOrchestrator.Server.Headless;

/// <summary>
/// The headless worker's loop: claims the best ready task of its roles and types, runs up to
/// --concurrency commands at once, and polls with a growing wait (from <see cref="FirstIdleWait"/> up
/// to --poll-interval) while nothing is ready, waking at once when one of its own tasks ends (its
/// completion may have made the next ready). Heartbeats its server instance row throughout. When
/// stopped, it claims nothing more and waits for its running tasks, which finish, or are killed after
/// the grace period and released.
/// </summary>
internal sealed partial class HeadlessWorker : IDisposable
{
    private static readonly TimeSpan FirstIdleWait = TimeSpan.FromMilliseconds(200);

    private readonly HeadlessWorkerSettings _settings;
    private readonly WorkspaceContext _workspace;
    private readonly TaskClaimer _claimer;
    private readonly TaskReporter _reporter;
    private readonly InstanceRegistrar _registrar;
    private readonly TimeSpan _instanceHeartbeat;
    private readonly Actor _actor;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _ended = new(0);
    private readonly StoreChangeSignal? _changes;

    public HeadlessWorker(HeadlessWorkerSettings settings, WorkspaceContext workspace, TaskClaimer claimer, TaskCompleter completer, TaskEditor editor, AgentHealthPolicy agents, InstanceRegistrar registrar, InstanceIdentity identity, TimeSpan instanceHeartbeat, TimeProvider time, ILogger logger, StoreChangeSignal? changes = null)
    {
        _changes = changes;
        ArgumentNullException.ThrowIfNull(identity);
        _settings = settings;
        _workspace = workspace;
        _claimer = claimer;
        _registrar = registrar;
        _instanceHeartbeat = instanceHeartbeat;
        _time = time;
        _logger = logger;
        _actor = new Actor(settings.AgentId, null, "task-orchestrator worker", identity.HolderId);
        _reporter = new TaskReporter(workspace, completer, editor, agents, _actor, time, logger);
    }

    public void Dispose() => _ended.Dispose();

    private int RunningCount
    {
        get
        {
            lock (_running)
            {
                return _running.Count;
            }
        }
    }

    /// <summary>Works until <paramref name="stopping"/> is cancelled (or, with --exit-when-idle, until the workspace is drained).</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        using var instanceHeartbeatStop = new CancellationTokenSource();
        var instanceHeartbeats = BeatInstanceAsync(instanceHeartbeatStop.Token);

        // A failure of the loop itself stops the running tasks as a signal would: none is left claimed.
        using var stopRuns = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        try
        {
            await ClaimLoopAsync(stopRuns.Token, stopping);
        }
        finally
        {
            await stopRuns.CancelAsync();
            var remaining = Snapshot();
            if (remaining.Length > 0)
            {
                LogWaitingForRuns(_logger, remaining.Length, _settings.GracePeriod.TotalSeconds);
                await Task.WhenAll(remaining);
            }

            await instanceHeartbeatStop.CancelAsync();
            await instanceHeartbeats;
        }
    }

    private async Task ClaimLoopAsync(CancellationToken runStop, CancellationToken stopping)
    {
        var filter = new ClaimFilter(_settings.Specialists, _settings.TaskTypes, null);
        var idleWait = FirstIdleWait;
        while (!stopping.IsCancellationRequested)
        {
            if (RunningCount >= _settings.Concurrency)
            {
                await WaitForEndAsync(Timeout.InfiniteTimeSpan, stopping);
                continue;
            }

            // Taken before the claim looks, so that work planned after the look still wakes the wait below.
            var changed = _changes?.Next(_workspace.Store.Workspace.Id);
            ClaimOutcome outcome;
            try
            {
                outcome = await _claimer.ClaimNextAsync(_workspace.Store, _settings.AgentId, filter, _settings.Lease, _workspace.Roles(), _actor, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (HealthProbe.IsStoreFailure(ex))
            {
                LogClaimFailed(_logger, HealthProbe.Describe(ex));
                await WaitForEndAsync(_settings.PollInterval, stopping);
                continue;
            }

            if (outcome.Claimed is { } claimed)
            {
                Start(new TaskRun(claimed, _settings, _workspace, _reporter, _actor, _time, _logger), claimed.Task.Id, runStop);
                idleWait = FirstIdleWait;
                continue;
            }

            if (_settings.ExitWhenIdle && RunningCount == 0 && outcome.Pending == 0 && outcome.InProgress == 0)
            {
                LogDrained(_logger);
                return;
            }

            idleWait = await WaitForWorkAsync(changed, idleWait, stopping)
                ? FirstIdleWait
                : TimeSpan.FromTicks(Math.Min(idleWait.Ticks * 2, _settings.PollInterval.Ticks));
        }
    }

    private void Start(TaskRun run, string taskId, CancellationToken runStop)
    {
        lock (_running)
        {
            _running[taskId] = Task.Run(async () =>
            {
                try
                {
                    await run.RunAsync(runStop);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A bug in one run must not take the worker down; its claim lapses and is reclaimed.
                    LogRunCrashed(_logger, taskId, ex);
                }
                finally
                {
                    lock (_running)
                    {
                        _running.Remove(taskId);
                    }

                    _ended.Release();
                }
            }, CancellationToken.None);
        }
    }

    private Task[] Snapshot()
    {
        lock (_running)
        {
            return [.. _running.Values];
        }
    }

    // Returns when a run ends, the wait passes, or the worker stops.
    /// <summary>
    /// Waits for a run to end, for the store to change (new or reopened work, when a change signal is
    /// given) or for <paramref name="wait"/>, the poll that stays the truth; true when woken by a change.
    /// </summary>
    private async Task<bool> WaitForWorkAsync(Task? changed, TimeSpan wait, CancellationToken stopping)
    {
        if (changed is null)
        {
            await WaitForEndAsync(wait, stopping);
            return false;
        }

        using var woken = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var ended = WaitForEndAsync(wait, woken.Token);
        bool byChange = await Task.WhenAny(ended, changed) == changed && !ended.IsCompleted;
        if (byChange)
        {
            // Stop waiting on the semaphore without taking a count a later run's end would need.
            await woken.CancelAsync();
        }

        await ended;
        return byChange;
    }

    private async Task WaitForEndAsync(TimeSpan wait, CancellationToken stopping)
    {
        try
        {
            await _ended.WaitAsync(wait, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task BeatInstanceAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(_instanceHeartbeat, _time);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await _registrar.HeartbeatAsync(_workspace.Store, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException && HealthProbe.IsStoreFailure(ex))
                {
                    LogInstanceHeartbeatFailed(_logger, HealthProbe.Describe(ex));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claiming failed ({Reason}); trying again")]
    private static partial void LogClaimFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Nothing is pending or in progress in the workspace and nothing runs here: stopping (--exit-when-idle)")]
    private static partial void LogDrained(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: claiming no more; waiting for {Count} running tasks (up to {Seconds} s each before they are killed and released)")]
    private static partial void LogWaitingForRuns(ILogger logger, int count, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "The run of task {TaskId} failed unexpectedly; its claim will lapse and the task will be handed out again")]
    private static partial void LogRunCrashed(ILogger logger, string taskId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The server instance heartbeat failed ({Reason}); trying again at the next interval")]
    private static partial void LogInstanceHeartbeatFailed(ILogger logger, string reason);
}
