using Microsoft.Extensions.Logging;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Mcp.Operations.Lifecycle;
using TaskOrchestrator.Mcp.Workspaces;

namespace TaskOrchestrator.Mcp.Operations.Instances;

/// <summary>
/// Keeps this process's rows in every workspace it opened: registers them when the workspace opens
/// (then has stale instances cleaned up), renews them on every heartbeat, and records the end of the
/// process. A supervised worker also keeps its supervisor's row, which holds the work across workers.
/// </summary>
public sealed partial class InstanceRegistrar : IWorkspaceObserver
{
    private readonly InstanceIdentity _identity;
    private readonly StaleInstanceSweeper _sweeper;
    private readonly ProcessInspector _processes;
    private readonly WorkerLifecycle _lifecycle;
    private readonly TimeProvider _time;
    private readonly ILogger<InstanceRegistrar> _logger;

    /// <summary>Creates the registrar.</summary>
    public InstanceRegistrar(InstanceIdentity identity, StaleInstanceSweeper sweeper, ProcessInspector processes, WorkerLifecycle lifecycle, TimeProvider time, ILogger<InstanceRegistrar> logger)
    {
        _identity = identity;
        _sweeper = sweeper;
        _processes = processes;
        _lifecycle = lifecycle;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public async Task OnOpenedAsync(WorkspaceContext workspace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        try
        {
            await RegisterAsync(workspace.Store, cancellationToken);
            LogRegistered(_logger, _identity.InstanceId, _identity.Role, workspace.Root, _identity.HolderId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // An unwritable store must not make the workspace unusable: health checks still have to
            // report on it. The next heartbeat registers the row again.
            LogRegistrationFailed(_logger, workspace.Root, ex);
            return;
        }

        await _sweeper.SweepAsync(workspace.Store, cancellationToken);
    }

    /// <summary>Registers (or re-registers) this process's rows as running.</summary>
    public async Task RegisterAsync(IOrchestratorStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var unit = await store.BeginWriteAsync(cancellationToken);
        await UpsertAsync(unit, store.Workspace.Id, [.. _identity.OwnIds], cancellationToken);
        await unit.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Renews this process's rows in one write unit. A row another process marked dead (or removed)
    /// is logged and registered again, unless this process is shutting down. The supervisor's row is
    /// renewed only while the supervisor process is alive.
    /// </summary>
    public async Task HeartbeatAsync(IOrchestratorStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var now = _time.Now();
        await using var unit = await store.BeginWriteAsync(cancellationToken);
        var lost = new List<string>();
        foreach (var id in _identity.OwnIds)
        {
            if (id != _identity.InstanceId && _identity.Supervisor is { } supervisor && !SupervisorAlive(supervisor))
            {
                continue;
            }

            if (!await unit.Instances.HeartbeatAsync(id, now, cancellationToken) && !_lifecycle.IsShuttingDown)
            {
                var row = await unit.Instances.GetAsync(id, cancellationToken);
                LogRowLost(_logger, id, store.Workspace.RootPath, row is null ? "missing" : WireNames.Of(row.State), row?.Detail ?? "no detail");
                lost.Add(id);
            }
        }

        if (lost.Count > 0)
        {
            await UpsertAsync(unit, store.Workspace.Id, lost, cancellationToken);
        }

        await unit.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Moves this process's row (and, with <paramref name="includeSupervisor"/>, the supervisor's) to
    /// <paramref name="state"/> with a reason.
    /// </summary>
    public async Task SetStateAsync(IOrchestratorStore store, InstanceState state, string detail, bool includeSupervisor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var now = _time.Now();
        await using var unit = await store.BeginWriteAsync(cancellationToken);
        foreach (var id in _identity.OwnIds.Where(id => id == _identity.InstanceId || includeSupervisor))
        {
            await unit.Instances.SetStateAsync(id, state, now, detail, cancellationToken);
        }

        await unit.CommitAsync(cancellationToken);
    }

    private async Task UpsertAsync(IStoreUnit unit, string workspaceId, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var now = _time.Now();
        foreach (var id in ids)
        {
            if (id == _identity.InstanceId)
            {
                await unit.Instances.UpsertAsync(_identity.Record(workspaceId, now), cancellationToken);
            }
            else if (_identity.Supervisor is { } supervisor && SupervisorAlive(supervisor))
            {
                var existing = await unit.Instances.GetAsync(id, cancellationToken);
                var startedAt = ProcessInspector.StartTimeOf(supervisor.ProcessId) ?? now;
                await unit.Instances.UpsertAsync(_identity.SupervisorRecord(workspaceId, existing, startedAt, now)!, cancellationToken);
            }
        }
    }

    // Without start ticks (an older supervisor, or no /proc) the process id alone has to do.
    private bool SupervisorAlive(SupervisorLink supervisor) =>
        supervisor.ProcessStartTicks == 0
            ? _processes.Read(supervisor.ProcessId) is { IsZombie: false }
            : _processes.IsAlive(supervisor.ProcessId, supervisor.ProcessStartTicks);

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered server instance {InstanceId} ({Role}) in workspace {Workspace}; work is held as {HolderId}")]
    private static partial void LogRegistered(ILogger logger, string instanceId, InstanceRole role, string workspace, string holderId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not register this server instance in workspace {Workspace}; the next heartbeat tries again")]
    private static partial void LogRegistrationFailed(ILogger logger, string workspace, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Server instance row {InstanceId} in workspace {Workspace} is {State} ({Detail}): another process took it for dead. Registering it again.")]
    private static partial void LogRowLost(ILogger logger, string instanceId, string workspace, string state, string detail);
}
