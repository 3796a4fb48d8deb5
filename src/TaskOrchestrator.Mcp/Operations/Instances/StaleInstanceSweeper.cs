using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Mcp.Operations.Health;

namespace TaskOrchestrator.Mcp.Operations.Instances;

/// <summary>
/// Cleans up after server processes that stopped heartbeating: a row whose heartbeat is older than the
/// TTL (counted back from the freshest heartbeat of the other instances) is marked dead when its process is gone or its process id now names another program; a
/// process that is verifiably ours (same start time, command line naming this program) but hung is
/// terminated first. Then the work held by dead or stopped instances is let go (see WorkReclaimer):
/// back to pending, or left to the agent that started it until its lease ends. A row with
/// a fresh heartbeat is never touched, whatever its process looks like.
/// </summary>
public sealed partial class StaleInstanceSweeper
{
    private const int ScanLimit = 1_000;

    /// <summary>How long stopped and dead instances stay registered before a sweep deletes them.</summary>
    public static readonly TimeSpan EndedInstanceRetention = TimeSpan.FromDays(7);

    // The most ended instances one sweep deletes; the next sweep takes the rest.
    private const int PruneLimit = 1_000;
    private readonly InstanceIdentity _identity;
    private readonly ProcessInspector _processes;
    private readonly TimeProvider _time;
    private readonly HealthOptions _options;
    private readonly ILogger<StaleInstanceSweeper> _logger;

    /// <summary>Creates the sweeper.</summary>
    public StaleInstanceSweeper(InstanceIdentity identity, ProcessInspector processes, TimeProvider time, IOptions<HealthOptions> options, ILogger<StaleInstanceSweeper> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _identity = identity;
        _processes = processes;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Sweeps one workspace. Failures are logged, never thrown: cleanup must not block serving.</summary>
    public Task<SweepReport> SweepAsync(IOrchestratorStore store, CancellationToken cancellationToken) =>
        SweepAsync(store, periodic: false, cancellationToken);

    /// <summary>
    /// Sweeps one workspace as the background monitor does on every pass, so that a process that dies
    /// while the others keep running is found by them (not only by the next process to open the
    /// workspace). Reads first and opens a write unit only when a heartbeat is stale or work is held by
    /// an ended instance: with several instances on one database, a pass that finds nothing costs no
    /// write lock. Failures are logged, never thrown.
    /// </summary>
    public Task<SweepReport> SweepStaleAsync(IOrchestratorStore store, CancellationToken cancellationToken) =>
        SweepAsync(store, periodic: true, cancellationToken);

    private async Task<SweepReport> SweepAsync(IOrchestratorStore store, bool periodic, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        try
        {
            return await SweepCoreAsync(store, periodic, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSweepFailed(_logger, store.Workspace.RootPath, ex);
            return SweepReport.Empty;
        }
    }

    private async Task<SweepReport> SweepCoreAsync(IOrchestratorStore store, bool periodic, CancellationToken cancellationToken)
    {
        IReadOnlyList<ServerInstanceRecord> running;
        bool endedHolders = false;
        await using (var read = await store.BeginReadAsync(cancellationToken))
        {
            running = await read.Instances.ListAsync(includeEnded: false, ScanLimit, cancellationToken);
            if (periodic)
            {
                var live = running.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
                endedHolders = (await read.Tasks.GetHolderInstanceIdsAsync(ScanLimit, cancellationToken)).Any(id => !live.Contains(id) && !_identity.OwnIds.Contains(id));
            }
        }

        // Processes are inspected and stopped outside any transaction: terminating one takes seconds,
        // and the write lock is held only for the bookkeeping below.
        var findings = new Dictionary<string, (ServerInstanceRecord Instance, string Finding)>(StringComparer.Ordinal);
        var cutoffs = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var instance in running.Where(i => !IsThisProcess(i)))
        {
            var cutoff = CutoffFor(instance, running);
            if (instance.HeartbeatAt >= cutoff)
            {
                continue;
            }

            cutoffs[instance.Id] = cutoff;
            var finding = await InspectAsync(instance, periodic, cancellationToken);
            if (finding is not null)
            {
                findings[instance.Id] = (instance, finding);
            }
        }

        if (periodic && findings.Count == 0 && !endedHolders)
        {
            return SweepReport.Empty;
        }

        var now = _time.Now();
        await using var unit = await store.BeginWriteAsync(cancellationToken);
        var marked = new List<(ServerInstanceRecord, string)>();
        foreach (var (instance, finding) in findings.Values)
        {
            // Still stale now that the write lock is held? A heartbeat meanwhile means it lives.
            if (await unit.Instances.GetAsync(instance.Id, cancellationToken) is not { State: InstanceState.Running or InstanceState.Stopping } current
                || current.HeartbeatAt > instance.HeartbeatAt
                || current.HeartbeatAt >= cutoffs[instance.Id])
            {
                continue;
            }

            var detail = string.Create(CultureInfo.InvariantCulture, $"found dead by {_identity.InstanceId} (pid {_identity.ProcessId}): no heartbeat since {current.HeartbeatAt:u}; process {current.ProcessId} on {current.Host} {Describe(finding)}");
            await unit.Instances.SetStateAsync(current.Id, InstanceState.Dead, now, detail, cancellationToken);
            await unit.Events.AppendAsync(
                TaskEvents.Of(EventKinds.InstanceDead, store.Workspace.Id, null, Actor.System, now, new JsonObject
                {
                    ["instance_id"] = current.Id,
                    ["role"] = WireNames.Of(current.Role),
                    ["host"] = current.Host,
                    ["process_id"] = current.ProcessId,
                    ["last_heartbeat_at"] = current.HeartbeatAt.ToString("O", CultureInfo.InvariantCulture),
                    ["finding"] = finding,
                    ["found_by"] = _identity.InstanceId,
                }),
                cancellationToken);
            marked.Add((current, finding));
            LogMarkedDead(_logger, current.Id, current.ProcessId, current.Host, finding, store.Workspace.RootPath);
        }

        // Work held by any ended holder goes back, also work left by an earlier sweep that failed
        // midway; never the work this process holds itself. The holders are read from the work, not
        // from the instance list, so that no number of ended instances can hide one.
        var holders = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var holderId in await unit.Tasks.GetHolderInstanceIdsAsync(ScanLimit, cancellationToken))
        {
            if (_identity.OwnIds.Contains(holderId))
            {
                continue;
            }

            // A holder without a row (rows holding work are never pruned) cannot heartbeat: dead.
            switch ((await unit.Instances.GetAsync(holderId, cancellationToken))?.State)
            {
                case null or InstanceState.Dead:
                    holders[holderId] = WorkReclaimer.InstanceDead;
                    break;
                case InstanceState.Stopped:
                    holders[holderId] = WorkReclaimer.InstanceStopped;
                    break;
            }
        }

        var released = await WorkReclaimer.ReleaseHeldByAsync(unit, holders, now, cancellationToken);

        // Ended instances are kept a while as history (orchestrator_health_check, the dashboard), then
        // dropped, so that servers started once per call do not grow the table without bound.
        var pruned = await unit.Instances.DeleteEndedBeforeAsync(now - EndedInstanceRetention, PruneLimit, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        if (pruned > 0)
        {
            LogPruned(_logger, pruned, EndedInstanceRetention.TotalDays, store.Workspace.RootPath);
        }
        foreach (var work in released)
        {
            if (work.BackToPending)
            {
                LogReleased(_logger, work.Task.Id, work.Task.HolderInstanceId ?? "(none)", work.Task.AssignedAgent ?? "(unnamed)", work.Cause);
            }
            else
            {
                LogDetached(_logger, work.Task.Id, work.Task.HolderInstanceId ?? "(none)", work.Task.AssignedAgent ?? "(unnamed)", work.Cause, work.Task.LeaseExpiresAt);
            }
        }

        return new SweepReport(marked, released);
    }

    /// <summary>
    /// The heartbeat before which <paramref name="instance"/> counts as stale: the TTL before the freshest
    /// heartbeat any other running instance managed to write (capped at now; now when there is none).
    /// Heartbeats are writes and queue behind the workspace's other writes, so when the store is congested
    /// every heartbeat lags alike; measured against each other, a live instance is not taken for dead
    /// while one that stopped falls behind all the others. Costs at most one heartbeat interval of delay.
    /// </summary>
    private DateTimeOffset CutoffFor(ServerInstanceRecord instance, IReadOnlyList<ServerInstanceRecord> running)
    {
        var now = _time.Now();
        var freshest = running.Where(i => i.Id != instance.Id).Select(i => i.HeartbeatAt).DefaultIfEmpty(now).Max();
        return (freshest < now ? freshest : now) - _options.InstanceTtl;
    }

    private async Task<string?> InspectAsync(ServerInstanceRecord instance, bool periodic, CancellationToken cancellationToken)
    {
        var ownership = _processes.Classify(instance, _identity.Host);
        switch (ownership)
        {
            case ProcessOwnership.Gone:
                return "gone";
            case ProcessOwnership.Foreign:
                return "foreign";
            case ProcessOwnership.OtherHost:
                return "other_host";
        }

        if (periodic)
        {
            // A background pass never stops a process that still runs: on a loaded machine a live server's
            // heartbeat can be late without it being hung. Stopping a hung process of ours is left to the
            // sweep of a process that opens the workspace, as before.
            LogLateButAlive(_logger, instance.Id, instance.ProcessId, instance.HeartbeatAt);
            return null;
        }

        LogTerminating(_logger, instance.Id, instance.ProcessId, _options.StaleProcessGrace.TotalSeconds);
        var ended = await _processes.TerminateAsync(instance.ProcessId, instance.ProcessStartedAt, _options.StaleProcessGrace, cancellationToken);
        if (ended == "survived")
        {
            // A process that outlives SIGKILL (stuck in the kernel) still holds what it holds.
            LogSurvived(_logger, instance.Id, instance.ProcessId);
            return null;
        }

        return ended;
    }

    private bool IsThisProcess(ServerInstanceRecord instance) =>
        _identity.OwnIds.Contains(instance.Id)
        || (instance.Host == _identity.Host && instance.ProcessId == _identity.ProcessId && instance.ProcessStartedAt == _identity.ProcessStartTicks);

    private static string Describe(string finding) => finding switch
    {
        "gone" => "no longer exists",
        "foreign" => "now belongs to another program (start time or command line differ), left running",
        "other_host" => "runs on another machine and could not be inspected",
        "exited" => "exited before it could be stopped",
        "terminated" => "was ours and hung; terminated with SIGTERM",
        "killed" => "was ours and hung; killed with SIGKILL after the grace period",
        _ => finding,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stale server instance {InstanceId}: its process {ProcessId} is ours but stopped heartbeating; sending SIGTERM (SIGKILL after {GraceSeconds} s)")]
    private static partial void LogTerminating(ILogger logger, string instanceId, int processId, double graceSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Server instance {InstanceId}: its process {ProcessId} still runs though its last heartbeat is {HeartbeatAt:u}; left alone by the background pass")]
    private static partial void LogLateButAlive(ILogger logger, string instanceId, int processId, DateTimeOffset heartbeatAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stale server instance {InstanceId}: process {ProcessId} survived SIGKILL; left registered")]
    private static partial void LogSurvived(ILogger logger, string instanceId, int processId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Marked server instance {InstanceId} (pid {ProcessId} on {Host}) dead: {Finding}; workspace {Workspace}")]
    private static partial void LogMarkedDead(ILogger logger, string instanceId, int processId, string host, string finding, string workspace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Released task {TaskId} held by instance {HolderId} for agent {AgentId} back to pending ({Cause})")]
    private static partial void LogReleased(ILogger logger, string taskId, string holderId, string agentId, string cause);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} held by instance {HolderId} stays in progress with agent {AgentId} until its lease ends at {LeaseExpiresAt:u} ({Cause})")]
    private static partial void LogDetached(ILogger logger, string taskId, string holderId, string agentId, string cause, DateTimeOffset? leaseExpiresAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} server instances that ended more than {Days} days ago in workspace {Workspace}")]
    private static partial void LogPruned(ILogger logger, int count, double days, string workspace);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stale-instance cleanup of workspace {Workspace} failed; it runs again when the workspace is next opened")]
    private static partial void LogSweepFailed(ILogger logger, string workspace, Exception exception);
}
