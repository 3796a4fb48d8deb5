using System.ComponentModel;
using TaskOrchestrator.Core.Operations;

namespace TaskOrchestrator.Mcp.Results;

// The results of the five server tools. The worker answers all five; a supervisor answers
// orchestrator_restart_server, orchestrator_restart_status and orchestrator_reconnect_test itself with
// the same records, so a client sees one output schema whichever process answers.

/// <summary>One health check.</summary>
public sealed record HealthCheckView(
    [property: Description("database_open, integrity_quick, write_probe, migrations_current, wal_size, disk_free, connections, active_tasks, expired_leases, memory, uptime or restarts.")] string Name,
    HealthStatus Status,
    [property: Description("What was found, with the figures and thresholds that decided the status.")] string Message,
    [property: Description("How long the check took, in milliseconds.")] double DurationMs,
    [property: Description("The measured figures, by name (bytes, milliseconds, counts, percent).")] IReadOnlyDictionary<string, double> Figures);

/// <summary>The server process that answered.</summary>
public sealed record ServerIdentityView(
    [property: Description("The server version from the build, e.g. 0.2.0+3f2a1c9.")] string Version,
    [property: Description("This process's instance id.")] string InstanceId,
    [property: Description("worker (run by a supervisor), standalone or supervisor.")] InstanceRole Role,
    int ProcessId,
    string Host,
    bool Supervised,
    [property: Description("The supervisor's instance id, which holds the work its workers start; null when not supervised.")] string? SupervisorInstanceId,
    [property: Description("How many workers the supervisor started before this one; 0 when not supervised.")] int WorkerGeneration,
    DateTimeOffset StartedAt,
    double UptimeSeconds);

/// <summary>A client connection.</summary>
public sealed record ClientConnectionView(
    string? Name,
    string? Version,
    string? ProtocolVersion,
    DateTimeOffset? ConnectedAt,
    [property: Description("When the client last sent anything (supervisor) or last called a tool (worker).")] DateTimeOffset? LastActivityAt);

/// <summary>A call in flight, or a request held in the supervisor's buffer.</summary>
public sealed record PendingCallView(
    [property: Description("The JSON-RPC id, as text.")] string Id,
    string Method,
    [property: Description("The tool, for tools/call.")] string? Tool,
    DateTimeOffset StartedAt,
    [property: Description("How long it has been waiting, in milliseconds.")] double AgeMs);

/// <summary>The clients and their calls in flight.</summary>
public sealed record ConnectionStatusView(
    [property: Description("supervisor (facts from the supervisor that owns the client's stdio) or process (this process's own connections).")] string Source,
    IReadOnlyList<ClientConnectionView> Clients,
    [property: Description("Calls in flight, not counting this one.")] IReadOnlyList<PendingCallView> InFlight,
    [property: Description("Client messages the supervisor holds while no worker can take them; null without a supervisor.")] int? Buffered);

/// <summary>A task in progress and what holds it.</summary>
public sealed record HeldTaskView(
    string TaskId,
    string Title,
    [property: Description("The agent working on it.")] string? AgentId,
    [property: Description("The server instance that holds it; when it dies or stops for good, the task goes back to pending unless an agent started it, in which case the agent keeps it until its lease ends.")] string? HolderInstanceId,
    [property: Description("That instance's state (running, stopping, stopped, dead), or null when it is not registered.")] InstanceState? HolderState,
    DateTimeOffset? StartedAt,
    [property: Description("When the hold expires unless renewed.")] DateTimeOffset? LeaseExpiresAt);

/// <summary>The workspace database.</summary>
public sealed record DatabaseStatusView(
    string Backend,
    string Location,
    int SchemaApplied,
    int SchemaLatest,
    long DatabaseBytes,
    long WalBytes,
    [property: Description("Latency of the write probe, in milliseconds; null when it failed.")] double? WriteProbeMs,
    [property: Description("Problems the integrity quick check found; empty when healthy.")] IReadOnlyList<string> IntegrityProblems,
    [property: Description("Free bytes on the file system holding the workspace.")] long? DiskFreeBytes,
    long? DiskTotalBytes);

/// <summary>Memory and uptime of the server process.</summary>
public sealed record ProcessStatusView(long WorkingSetBytes, long PeakWorkingSetBytes, long GcHeapBytes, int ThreadCount, double UptimeSeconds);

/// <summary>Result of orchestrator_health_check.</summary>
public sealed record HealthCheckResult(
    [property: Description("The worst status of any check.")] HealthStatus Status,
    [property: Description("Why the status is not healthy: one line per degraded or critical check, worst first.")] IReadOnlyList<string> Reasons,
    DateTimeOffset CheckedAt,
    ServerIdentityView Server,
    IReadOnlyList<HealthCheckView> Checks,
    [property: Description("Present when include_database_status was set.")] DatabaseStatusView? Database,
    [property: Description("Present when include_connection_status was set.")] ConnectionStatusView? Connections,
    [property: Description("Tasks in progress with their holders (at most 50).")] IReadOnlyList<HeldTaskView> ActiveTasks,
    int ActiveTasksTotal,
    [property: Description("Tasks in progress whose hold expired without renewal.")] IReadOnlyList<HeldTaskView> ExpiredLeases,
    ProcessStatusView Process,
    [property: Description("Workers the supervisor replaced (restarts and crash recoveries); 0 without a supervisor.")] int RestartCount,
    [property: Description("The shutdown_prepare assessment; present when include_reboot_readiness was set.")] ShutdownPrepareResult? RebootReadiness,
    WorkspaceView Workspace);

/// <summary>Something that makes a shutdown unsafe right now.</summary>
public sealed record ShutdownIssueView(
    [property: Description("calls_in_flight, tasks_in_progress, open_write_transaction, write_lock_held, wal_not_checkpointed or restart_in_progress.")] string Kind,
    string Message,
    [property: Description("How many (calls, tasks, write units, log frames).")] int Count);

/// <summary>The write state of the workspace database.</summary>
public sealed record WriteStateView(
    [property: Description("Write transactions this process has open.")] int OpenWriteUnits,
    [property: Description("True when some writer holds the write lock, tried without waiting.")] bool WriteLockHeld,
    [property: Description("this_process, another_process or null when the lock is free.")] string? WriteLockHolder,
    [property: Description("Frames in the write-ahead log after a passive checkpoint.")] int WalLogFrames,
    [property: Description("Frames still only in the log (readers kept the checkpoint from copying them).")] int WalPendingFrames,
    bool CheckpointBusy);

/// <summary>A restart under way.</summary>
public sealed record RestartInProgressView(
    [property: Description("The phase's wire name.")] string Phase,
    [property: Description("The reason's wire name.")] string Reason,
    DateTimeOffset StartedAt);

/// <summary>Result of orchestrator_shutdown_prepare.</summary>
public sealed record ShutdownPrepareResult(
    [property: Description("True when nothing below blocks a shutdown now.")] bool SafeToShutdown,
    IReadOnlyList<ShutdownIssueView> BlockingIssues,
    [property: Description("active_tasks, database_state and client_connections, as asked.")] IReadOnlyList<string> ChecksRun,
    [property: Description("Calls in flight, not counting this one; present when check_client_connections was set.")] IReadOnlyList<PendingCallView>? InFlightCalls,
    [property: Description("Tasks in progress and who holds them; present when check_active_tasks was set.")] IReadOnlyList<HeldTaskView>? ActiveTasks,
    [property: Description("Present when check_database_state was set.")] WriteStateView? Database,
    [property: Description("The restart the supervisor has under way, if any.")] RestartInProgressView? RestartInProgress,
    [property: Description("What to do before shutting down.")] string Recommendation,
    DateTimeOffset CheckedAt);

/// <summary>One phase of a restart.</summary>
public sealed record RestartPhaseView(RestartPhase Phase, DateTimeOffset StartedAt, double DurationMs, bool Succeeded, string? Detail);

/// <summary>A restart or crash recovery, from the persisted history.</summary>
public sealed record RestartView(
    string Id,
    RestartKind Kind,
    RestartReason Reason,
    bool Graceful,
    [property: Description("Who asked: a client, the health monitor or the supervisor.")] string? RequestedBy,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    double? DurationMs,
    RestartOutcome Outcome,
    string? FromVersion,
    string? ToVersion,
    IReadOnlyList<RestartPhaseView> Phases,
    [property: Description("What went wrong; present when include_error_details was set.")] string? Error);

/// <summary>The supervisor and its current worker.</summary>
public sealed record SupervisorStatusView(
    string InstanceId,
    int ProcessId,
    [property: Description("serving, restarting or critical (crash-looped, no worker).")] string State,
    DateTimeOffset StartedAt,
    int WorkerPid,
    int WorkerGeneration,
    int Restarts,
    int CrashRecoveries,
    int Buffered);

/// <summary>Result of orchestrator_restart_server.</summary>
public sealed record RestartServerResult(
    [property: Description("The restart's id in the history (orchestrator_restart_status).")] string RestartId,
    RestartOutcome Outcome,
    [property: Description("The phase reached: a restart phase's wire name, or idle once done.")] string Phase,
    RestartReason Reason,
    bool Graceful,
    bool PreserveState,
    int TimeoutSeconds,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    double? DurationMs,
    string? FromVersion,
    string? ToVersion,
    IReadOnlyList<RestartPhaseView> Phases,
    [property: Description("True when the client's MCP session carried over to the new worker.")] bool SessionPreserved,
    [property: Description("What went wrong when the restart failed or was rolled back; null otherwise. (Not 'error': that name is kept for the tool-error envelope.)")] string? Failure,
    string Message);

/// <summary>Result of orchestrator_restart_status.</summary>
public sealed record RestartStatusResult(
    bool Supervised,
    [property: Description("The current phase: idle, a restart phase's wire name, critical, or not_supervised when no supervisor runs this server.")] string Phase,
    [property: Description("Progress of the restart under way, 0 to 100; null when none is.")] double? ProgressPercent,
    [property: Description("The restart under way, if any.")] RestartView? Current,
    [property: Description("The supervisor; null when not supervised.")] SupervisorStatusView? Supervisor,
    [property: Description("Restarts and crash recoveries, newest first; present when include_history was set.")] IReadOnlyList<RestartView>? History,
    [property: Description("How many restarts the history holds in all.")] int HistoryTotal,
    string Message);

/// <summary>A round trip to the workspace store.</summary>
public sealed record StoreRoundTripView(
    bool Ok,
    [property: Description("A read transaction, in milliseconds.")] double? ReadMs,
    [property: Description("A durable write probe, in milliseconds.")] double? WriteProbeMs,
    string? Error);

/// <summary>A round trip between supervisor and worker.</summary>
public sealed record SupervisorRoundTripView(double RoundTripMs, int WorkerPid, int WorkerGeneration);

/// <summary>The supervisor's buffer of requests held during a restart.</summary>
public sealed record RequestBufferView(
    int Buffered,
    [property: Description("The most messages it holds.")] int Capacity,
    [property: Description("How long the oldest held message has waited, in milliseconds.")] double? OldestAgeMs,
    IReadOnlyList<PendingCallView> Items);

/// <summary>Counts of what reconnection has taken.</summary>
public sealed record ReconnectionStatsView(int Restarts, int CrashRecoveries, int ReplayedRequests, int FailedRequests, int WorkerGeneration);

/// <summary>Whether an orchestrator session can be resumed after a reconnect.</summary>
public sealed record SessionCheckView(string SessionId, bool Found, string? Name, string? Status);

/// <summary>Result of orchestrator_reconnect_test.</summary>
public sealed record ReconnectTestResult(
    bool Supervised,
    [property: Description("ok when every round trip succeeded, failed otherwise.")] string Status,
    StoreRoundTripView Store,
    [property: Description("The supervisor–worker round trip; null without a supervisor.")] SupervisorRoundTripView? Supervisor,
    [property: Description("Present when include_buffer_status was set and a supervisor runs this server.")] RequestBufferView? Buffer,
    [property: Description("Present when include_reconnection_stats was set and a supervisor runs this server.")] ReconnectionStatsView? ReconnectionStats,
    [property: Description("The session named by session_id, if one was.")] SessionCheckView? Session,
    [property: Description("What could not be measured and why.")] IReadOnlyList<string> Notes,
    DateTimeOffset TestedAt);
