using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Mcp.Connections;
using TaskOrchestrator.Mcp.Operations.Instances;
using TaskOrchestrator.Mcp.Operations.Lifecycle;
using TaskOrchestrator.Mcp.Results;
using TaskOrchestrator.Mcp.Views;
using TaskOrchestrator.Mcp.Workspaces;

namespace TaskOrchestrator.Mcp.Operations.Health;

/// <summary>Assembles orchestrator_health_check's report: every check, the sections asked for, the overall status.</summary>
public sealed class HealthReporter
{
    private const int ListLimit = 50;
    private readonly HealthProbe _probe;
    private readonly ShutdownAssessor _shutdown;
    private readonly InstanceIdentity _identity;
    private readonly ConnectionRegistry _connections;
    private readonly InFlightCalls _calls;
    private readonly TimeProvider _time;
    private readonly OrchestratorOptions _orchestrator;

    /// <summary>Creates the reporter.</summary>
    public HealthReporter(HealthProbe probe, ShutdownAssessor shutdown, InstanceIdentity identity, ConnectionRegistry connections, InFlightCalls calls, TimeProvider time, IOptions<OrchestratorOptions> orchestrator)
    {
        ArgumentNullException.ThrowIfNull(orchestrator);
        _probe = probe;
        _shutdown = shutdown;
        _identity = identity;
        _connections = connections;
        _calls = calls;
        _time = time;
        _orchestrator = orchestrator.Value;
    }

    /// <summary>Runs the checks on the call's workspace and this process.</summary>
    public async Task<HealthCheckResult> ReportAsync(ToolContext call, SupervisorFacts? facts, bool includeRebootReadiness, bool includeConnectionStatus, bool includeDatabaseStatus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var store = call.Workspace.Store;
        var checks = new List<HealthCheckView> { await _probe.DatabaseOpenAsync(store, cancellationToken) };

        DatabaseStatusView? database = null;
        if (includeDatabaseStatus)
        {
            var (integrity, problems) = await HealthProbe.IntegrityAsync(store, cancellationToken);
            var (probe, latency) = await _probe.WriteProbeAsync(store, cancellationToken);
            var (migrations, applied, latest) = await HealthProbe.MigrationsAsync(store, cancellationToken);
            var (wal, size) = await _probe.WalSizeAsync(store, cancellationToken);
            var (disk, free, total) = _probe.DiskFree(store, call.Workspace.Root);
            checks.AddRange([integrity, probe, migrations, wal, disk]);
            database = new DatabaseStatusView(
                store.Location.Backend,
                store.Location.Location,
                applied,
                latest,
                size?.DatabaseBytes ?? 0,
                size?.WalBytes ?? 0,
                latency is { } l ? Math.Round(l.TotalMilliseconds, 3) : null,
                problems,
                free,
                total);
        }

        var now = _time.GetUtcNow();
        ConnectionStatusView? connections = null;
        if (includeConnectionStatus)
        {
            var started = Stopwatch.GetTimestamp();
            connections = new ConnectionStatusView(
                facts is null ? "process" : "supervisor",
                OperationsViews.Clients(facts, _connections),
                OperationsViews.InFlight(facts, _calls, now),
                facts?.Buffered);
            checks.Add(ConnectionsCheck(connections, started));
        }

        var (activeCheck, active, activeTotal) = await ActiveTasksAsync(call, cancellationToken);
        checks.Add(activeCheck);
        var (leaseCheck, expired) = await _probe.ExpiredLeasesAsync(store, cancellationToken);
        checks.Add(leaseCheck);
        var (memory, process) = _probe.Memory(_orchestrator.StartedAt);
        checks.Add(memory);
        checks.Add(HealthProbe.Check("uptime", HealthStatus.Healthy, Invariant($"Up {TimeSpan.FromSeconds(Math.Floor(process.UptimeSeconds)):c} since {_orchestrator.StartedAt:u}."), Stopwatch.GetTimestamp(), ("uptime_seconds", process.UptimeSeconds)));
        int restartCount = facts is null ? 0 : facts.Restarts + facts.CrashRecoveries;
        checks.Add(RestartsCheck(facts, restartCount));

        ShutdownPrepareResult? readiness = includeRebootReadiness
            ? await _shutdown.AssessAsync(store, facts, checkActiveTasks: true, checkDatabaseState: true, checkClientConnections: true, cancellationToken)
            : null;

        var status = HealthProbe.Worst(checks.Select(c => c.Status));
        var reasons = checks.Where(c => c.Status != HealthStatus.Healthy).OrderByDescending(c => c.Status).Select(c => $"{c.Name} ({WireNames.Of(c.Status)}): {c.Message}").ToArray();
        var server = new ServerIdentityView(
            _identity.Version,
            _identity.InstanceId,
            _identity.Role,
            _identity.ProcessId,
            _identity.Host,
            _identity.Supervised,
            _identity.Supervisor?.InstanceId,
            facts?.WorkerGeneration ?? _identity.Supervisor?.WorkerGeneration ?? 0,
            _orchestrator.StartedAt,
            process.UptimeSeconds);
        var expiredViews = await HeldAsync(call, expired, cancellationToken);
        return new HealthCheckResult(status, reasons, now, server, checks, database, connections, active, activeTotal, expiredViews, process, restartCount, readiness, SessionViews.Workspace(call));
    }

    private HealthCheckView ConnectionsCheck(ConnectionStatusView connections, long started)
    {
        var threshold = _probe.Options.SlowCallThreshold;
        var oldest = connections.InFlight.Count == 0 ? 0 : connections.InFlight.Max(c => c.AgeMs);
        var slow = connections.InFlight.Where(c => c.AgeMs > threshold.TotalMilliseconds).ToArray();
        var figures = new (string, double)[] { ("clients", connections.Clients.Count), ("in_flight", connections.InFlight.Count), ("buffered", connections.Buffered ?? 0), ("oldest_call_ms", oldest) };
        var clients = connections.Clients.Count == 0 ? "no client has called yet" : string.Join(", ", connections.Clients.Select(c => $"{c.Name ?? "unnamed client"} {c.Version}".TrimEnd() + (c.LastActivityAt is { } at ? $" (last active {at.ToString("u", CultureInfo.InvariantCulture)})" : string.Empty)));
        return slow.Length > 0
            ? HealthProbe.Check("connections", HealthStatus.Degraded, $"{Text.Count(slow.Length, "call")} in flight for longer than {threshold.TotalSeconds:0} s ({string.Join(", ", slow.Take(3).Select(c => $"{c.Tool ?? c.Method} #{c.Id}, {c.AgeMs / 1000:0.#} s"))}); clients: {clients}.", started, figures)
            : HealthProbe.Check("connections", HealthStatus.Healthy, $"Clients: {clients}; {Text.Count(connections.InFlight.Count, "other call")} in flight{(connections.Buffered is { } b ? $", {b} buffered by the supervisor" : string.Empty)} ({connections.Source}).", started, figures);
    }

    private static HealthCheckView RestartsCheck(SupervisorFacts? facts, int restartCount)
    {
        var started = Stopwatch.GetTimestamp();
        if (facts is null)
        {
            return HealthProbe.Check("restarts", HealthStatus.Healthy, "No supervisor runs this server, so it is never restarted: 0 restarts.", started, ("restarts", 0), ("crash_recoveries", 0));
        }

        var figures = new (string, double)[] { ("restarts", facts.Restarts), ("crash_recoveries", facts.CrashRecoveries), ("worker_generation", facts.WorkerGeneration) };
        var counts = $"{Text.Count(facts.Restarts, "restart")} and {Text.Count(facts.CrashRecoveries, "crash recovery", "crash recoveries")} since the supervisor started at {facts.StartedAt.ToString("u", CultureInfo.InvariantCulture)}";
        return facts.RestartInProgress is { } restart
            ? HealthProbe.Check("restarts", HealthStatus.Degraded, $"A restart ({restart.Reason}) is under way in phase {restart.Phase}; {counts}.", started, figures)
            : facts.State == "critical"
                ? HealthProbe.Check("restarts", HealthStatus.Critical, $"The supervisor reports critical: workers crash repeatedly; {counts}.", started, figures)
                : HealthProbe.Check("restarts", HealthStatus.Healthy, $"Supervisor {facts.State}; {counts}.", started, figures);
    }

    private static async Task<(HealthCheckView Check, IReadOnlyList<HeldTaskView> Tasks, int Total)> ActiveTasksAsync(ToolContext call, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            TaskPage page;
            IReadOnlyList<ServerInstanceRecord> instances;
            await using (var read = await call.Workspace.Store.BeginReadAsync(cancellationToken))
            {
                page = await read.Tasks.QueryAsync(new TaskQuery { Statuses = [TaskItemStatus.InProgress], Limit = ListLimit }, cancellationToken);
                instances = await read.Instances.ListAsync(includeEnded: true, 1_000, cancellationToken);
            }

            var held = OperationsViews.HeldTasks(page.Items, instances);
            var orphaned = held.Where(t => t.HolderInstanceId is not null && t.HolderState is not (InstanceState.Running or InstanceState.Stopping)).ToArray();
            var figures = new (string, double)[] { ("in_progress", page.TotalCount), ("held_by_ended_instances", orphaned.Length) };
            var check = orphaned.Length > 0
                ? HealthProbe.Check("active_tasks", HealthStatus.Degraded, $"{Text.Count(page.TotalCount, "task")} in progress; {orphaned.Length} held by instances that are no longer running ({string.Join(", ", orphaned.Take(5).Select(t => $"{t.TaskId} by {t.HolderInstanceId} ({(t.HolderState is { } s ? WireNames.Of(s) : "unregistered")})"))}): the next start lets go of them: back to pending, or kept by their agents until their leases end.", started, figures)
                : HealthProbe.Check("active_tasks", HealthStatus.Healthy, page.TotalCount == 0 ? "No task is in progress." : $"{Text.Count(page.TotalCount, "task")} in progress, each held by a running instance.", started, figures);
            return (check, held, page.TotalCount);
        }
        catch (Exception ex) when (HealthProbe.IsStoreFailure(ex))
        {
            return (HealthProbe.Check("active_tasks", HealthStatus.Critical, $"Tasks in progress could not be read: {HealthProbe.Describe(ex)}", started), [], 0);
        }
    }

    private static async Task<IReadOnlyList<HeldTaskView>> HeldAsync(ToolContext call, IReadOnlyList<TaskRecord> tasks, CancellationToken cancellationToken)
    {
        if (tasks.Count == 0)
        {
            return [];
        }

        await using var read = await call.Workspace.Store.BeginReadAsync(cancellationToken);
        return OperationsViews.HeldTasks(tasks, await read.Instances.ListAsync(includeEnded: true, 1_000, cancellationToken));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
