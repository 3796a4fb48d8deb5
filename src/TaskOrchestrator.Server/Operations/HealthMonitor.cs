using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskOrchestrator.Core.Agents;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Core.Tasks.Claims;
using TaskOrchestrator.Mcp.Operations;
using TaskOrchestrator.Mcp.Operations.Health;
using TaskOrchestrator.Mcp.Operations.Instances;
using TaskOrchestrator.Mcp.Results;
using TaskOrchestrator.Mcp.Workspaces;

namespace TaskOrchestrator.Server.Operations;

/// <summary>
/// One pass of the background health monitor over every open workspace: runs the cheap checks (write
/// probe, free disk, write-ahead log, expired holds, memory; the integrity check only every few
/// passes), records each status transition in the workspace's event log, tells the clients and the
/// alert hooks, and recovers what it can: marks instances that stopped heartbeating dead (see
/// StaleInstanceSweeper), reclaims expired work, checkpoints an oversized log, and
/// after repeated critical passes asks the supervisor for a new worker. Not thread-safe: one pass at a time.
/// </summary>
internal sealed partial class HealthMonitor
{
    private const string ProcessScope = "";
    private readonly Dictionary<(string Scope, string Check), HealthStatus> _last = [];
    private readonly WorkspaceRegistry _workspaces;
    private readonly HealthProbe _probe;
    private readonly InstanceIdentity _identity;
    private readonly AlertHooks _alerts;
    private readonly ClientNotifier _notifier;
    private readonly TimeProvider _time;
    private readonly HealthOptions _options;
    private readonly Mcp.OrchestratorOptions _orchestrator;
    private readonly ILogger<HealthMonitor> _logger;
    private readonly AgentHealthPolicy _agents;
    private readonly ClaimMetrics? _claims;
    private readonly StaleInstanceSweeper? _sweeper;
    private int _passes;
    private int _consecutiveCritical;
    private HealthPass? _latest;

    public HealthMonitor(WorkspaceRegistry workspaces, HealthProbe probe, InstanceIdentity identity, AlertHooks alerts, ClientNotifier notifier, TimeProvider time, IOptions<HealthOptions> options, IOptions<Mcp.OrchestratorOptions> orchestrator, ILogger<HealthMonitor> logger, AgentHealthPolicy agents, ClaimMetrics? claims = null, StaleInstanceSweeper? sweeper = null)
    {
        _sweeper = sweeper;
        _agents = agents;
        _claims = claims;
        _workspaces = workspaces;
        _probe = probe;
        _identity = identity;
        _alerts = alerts;
        _notifier = notifier;
        _time = time;
        _options = options.Value;
        _orchestrator = orchestrator.Value;
        _logger = logger;
    }

    /// <summary>The latest pass's outcome; null before the first. Safe to read from any thread.</summary>
    public HealthPass? Latest => Volatile.Read(ref _latest);

    /// <summary>Consecutive passes whose worst check was critical.</summary>
    public int ConsecutiveCritical => _consecutiveCritical;

    /// <summary>Runs one pass and returns the transitions it found.</summary>
    public async Task<IReadOnlyList<HealthTransition>> RunOnceAsync(CancellationToken cancellationToken)
    {
        _passes++;
        bool integrity = _options.MonitorIntegrityEvery > 0 && _passes % _options.MonitorIntegrityEvery == 0;
        var transitions = new List<HealthTransition>();
        var worst = HealthStatus.Healthy;
        var critical = new List<string>();
        var problems = new List<string>();
        var workspaces = _workspaces.Open;

        foreach (var workspace in workspaces)
        {
            // Other processes sharing the workspace (on this host or, with PostgreSQL, on others) may
            // have died since the last pass: found here, their rows are marked dead and their work let go.
            if (_sweeper is not null)
            {
                await _sweeper.SweepStaleAsync(workspace.Store, cancellationToken);
            }

            var checks = await WorkspaceChecksAsync(workspace, integrity, cancellationToken);
            var found = Compare(workspace.Root, workspace.Root, checks);
            await RecordAsync(workspace, found, cancellationToken);
            transitions.AddRange(found);
            worst = HealthProbe.Worst(checks.Select(c => c.Status).Append(worst));
            critical.AddRange(checks.Where(c => c.Status == HealthStatus.Critical).Select(c => $"{c.Name} in {workspace.Root}: {c.Message}"));
            problems.AddRange(checks.Where(c => c.Status != HealthStatus.Healthy).Select(c => $"{c.Name} in {workspace.Root} ({WireNames.Of(c.Status)}): {c.Message}"));
            await RecoverAsync(workspace, checks, cancellationToken);
        }

        var (memory, _) = _probe.Memory(_orchestrator.StartedAt);
        var processTransitions = Compare(ProcessScope, null, [memory]);
        foreach (var workspace in workspaces)
        {
            // A transition of the process is recorded in every workspace it serves.
            await RecordAsync(workspace, processTransitions, cancellationToken);
        }

        transitions.AddRange(processTransitions);
        worst = HealthProbe.Worst(worst, memory.Status);
        if (memory.Status == HealthStatus.Critical)
        {
            critical.Add($"memory: {memory.Message}");
        }

        if (memory.Status != HealthStatus.Healthy)
        {
            problems.Add($"memory ({WireNames.Of(memory.Status)}): {memory.Message}");
        }

        Volatile.Write(ref _latest, new HealthPass(worst, _time.GetUtcNow(), problems));

        foreach (var transition in transitions)
        {
            LogTransition(_logger, transition.Check, transition.Workspace ?? "(process)", transition.From, transition.To, transition.Message);
            await _notifier.NotifyAsync(transition, cancellationToken);
            await _alerts.RaiseAsync(transition, cancellationToken);
        }

        await EscalateAsync(worst, critical, cancellationToken);
        return transitions;
    }

    private async Task<IReadOnlyList<HealthCheckView>> WorkspaceChecksAsync(WorkspaceContext workspace, bool integrity, CancellationToken cancellationToken)
    {
        var store = workspace.Store;
        var checks = new List<HealthCheckView>();
        checks.Add((await _probe.WriteProbeAsync(store, cancellationToken)).Check);
        checks.Add(_probe.DiskFree(store, workspace.Root).Check);
        checks.Add((await _probe.WalSizeAsync(store, cancellationToken)).Check);
        checks.Add((await _probe.ExpiredLeasesAsync(store, cancellationToken)).Check);
        if (integrity)
        {
            checks.Add((await HealthProbe.IntegrityAsync(store, cancellationToken)).Check);
        }

        return checks;
    }

    private List<HealthTransition> Compare(string scope, string? workspace, IReadOnlyList<HealthCheckView> checks)
    {
        var now = _time.Now();
        var transitions = new List<HealthTransition>();
        foreach (var check in checks)
        {
            // Before its first pass every check counts as healthy: only trouble is news at start.
            var previous = _last.GetValueOrDefault((scope, check.Name), HealthStatus.Healthy);
            _last[(scope, check.Name)] = check.Status;
            if (previous != check.Status)
            {
                transitions.Add(new HealthTransition(check.Name, previous, check.Status, check.Message, check.Figures, workspace, _identity.InstanceId, now));
            }
        }

        return transitions;
    }

    private async Task RecordAsync(WorkspaceContext workspace, IReadOnlyList<HealthTransition> transitions, CancellationToken cancellationToken)
    {
        if (transitions.Count == 0)
        {
            return;
        }

        try
        {
            await using var unit = await workspace.Store.BeginWriteAsync(cancellationToken);
            foreach (var transition in transitions)
            {
                var data = new JsonObject
                {
                    ["check"] = transition.Check,
                    ["message"] = transition.Message,
                    ["figures"] = new JsonObject(transition.Figures.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Value))),
                    ["instance_id"] = transition.InstanceId,
                };
                await unit.Events.AppendAsync(
                    new EventRecord
                    {
                        WorkspaceId = workspace.Store.Workspace.Id,
                        Kind = EventKinds.HealthTransition,
                        Actor = Actor.System.Name,
                        From = WireNames.Of(transition.From),
                        To = WireNames.Of(transition.To),
                        DataJson = data.ToJsonString(),
                        At = transition.At,
                    },
                    cancellationToken);
            }

            await unit.CommitAsync(cancellationToken);
        }
        catch (Exception ex) when (HealthProbe.IsStoreFailure(ex))
        {
            // The store being unwritable is often the very transition being reported.
            LogRecordFailed(_logger, workspace.Root, HealthProbe.Describe(ex));
        }
    }

    private async Task RecoverAsync(WorkspaceContext workspace, IReadOnlyList<HealthCheckView> checks, CancellationToken cancellationToken)
    {
        var store = workspace.Store;
        if (checks.Any(c => c.Name == "expired_leases" && c.Status != HealthStatus.Healthy))
        {
            try
            {
                IReadOnlyList<ReleasedWork> released;
                await using (var unit = await store.BeginWriteAsync(cancellationToken))
                {
                    released = await WorkReclaimer.ReclaimExpiredAsync(unit, _time.Now(), _agents, cancellationToken);
                    await unit.CommitAsync(cancellationToken);
                }

                _claims?.LeasesExpired(store.Workspace, released.Count);

                foreach (var work in released)
                {
                    LogReclaimed(_logger, work.Task.Id, work.Task.AssignedAgent ?? "(unnamed)", work.Task.HolderInstanceId ?? "(none)", workspace.Root);
                }
            }
            catch (Exception ex) when (HealthProbe.IsStoreFailure(ex))
            {
                LogRecoveryFailed(_logger, "reclaiming expired work", workspace.Root, HealthProbe.Describe(ex));
            }
        }

        if (checks.Any(c => c.Name == "wal_size" && c.Status != HealthStatus.Healthy))
        {
            try
            {
                var result = await store.Diagnostics.CheckpointAsync(truncate: true, cancellationToken);
                LogCheckpointed(_logger, workspace.Root, result.CheckpointedFrames, result.LogFrames, result.Busy);
            }
            catch (Exception ex) when (HealthProbe.IsStoreFailure(ex))
            {
                LogRecoveryFailed(_logger, "checkpointing the write-ahead log", workspace.Root, HealthProbe.Describe(ex));
            }
        }
    }

    private async Task EscalateAsync(HealthStatus worst, List<string> critical, CancellationToken cancellationToken)
    {
        _consecutiveCritical = worst == HealthStatus.Critical ? _consecutiveCritical + 1 : 0;
        if (_consecutiveCritical < _options.CriticalPassesBeforeRestart)
        {
            return;
        }

        var detail = string.Create(CultureInfo.InvariantCulture, $"{_consecutiveCritical} consecutive critical health passes: {string.Join("; ", critical.Take(3))}");
        _consecutiveCritical = 0;
        if (!_identity.Supervised)
        {
            LogCannotRestart(_logger, detail);
            return;
        }

        var sent = await _notifier.RequestRestartAsync(new RestartRequestedParams(WireNames.Of(RestartReason.ErrorRecovery), detail), cancellationToken);
        LogRestartRequested(_logger, detail, sent);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health check {Check} ({Scope}) went from {From} to {To}: {Message}")]
    private static partial void LogTransition(ILogger logger, string check, string scope, HealthStatus from, HealthStatus to, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The health transition could not be recorded in workspace {Workspace}: {Reason}")]
    private static partial void LogRecordFailed(ILogger logger, string workspace, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reclaimed task {TaskId}: the hold of agent {AgentId} through instance {HolderId} expired; back to pending (workspace {Workspace})")]
    private static partial void LogReclaimed(ILogger logger, string taskId, string agentId, string holderId, string workspace);

    [LoggerMessage(Level = LogLevel.Information, Message = "Checkpointed the write-ahead log of workspace {Workspace}: {Checkpointed} of {Frames} frames (busy: {Busy})")]
    private static partial void LogCheckpointed(ILogger logger, string workspace, int checkpointed, int frames, bool busy);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recovery failed {Action} in workspace {Workspace}: {Reason}")]
    private static partial void LogRecoveryFailed(ILogger logger, string action, string workspace, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The worker would ask to be restarted ({Detail}), but no supervisor runs it; restart the server yourself")]
    private static partial void LogCannotRestart(ILogger logger, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Asked the supervisor to replace this worker ({Detail}); sent: {Sent}")]
    private static partial void LogRestartRequested(ILogger logger, string detail, bool sent);
}
