using System.Text.Json.Nodes;
using Serilog.Events;

namespace TaskOrchestrator.Server.Supervision;

/// <summary>How the supervisor was started: what it passes on to every worker.</summary>
/// <param name="Workspace">The --workspace option, if given.</param>
/// <param name="StartupWorkspace">The workspace resolved at start: where history and the supervisor's row are kept.</param>
/// <param name="ConfigFile">The --config file, if given; snapshotted for each worker so a rollback can use the previous one.</param>
/// <param name="LogLevel">The --log-level option.</param>
/// <param name="LogFolder">Where the logs are written, if anywhere besides stderr.</param>
/// <param name="Identity">The supervisor's instance identity.</param>
/// <param name="Tools">The --tools profile, if given; passed on to every worker, whose tool list the supervisor follows.</param>
internal sealed record SupervisorSettings(
    string? Workspace,
    string StartupWorkspace,
    string? ConfigFile,
    LogEventLevel LogLevel,
    string? LogFolder,
    SupervisorIdentity Identity,
    string? Tools = null)
{
    /// <summary>Today's log file, named in critical errors.</summary>
    public string? LogFile => LogFolder is null ? null : Path.Combine(LogFolder, $"task-orchestrator-{DateTime.Now:yyyyMMdd}.log");
}

/// <summary>The supervisor's instance identity, shared with its workers.</summary>
/// <param name="InstanceId">The instance id that holds work across worker restarts.</param>
/// <param name="ProcessId">The supervisor's process id.</param>
/// <param name="ProcessStartTicks">The supervisor's start time in clock ticks since boot.</param>
internal sealed record SupervisorIdentity(string InstanceId, int ProcessId, long ProcessStartTicks);

/// <summary>The client as the supervisor saw it initialize.</summary>
internal sealed record ClientSession
{
    /// <summary>The params of the client's initialize request, replayed to every new worker.</summary>
    public JsonNode? InitializeParams { get; init; }

    public string? Name { get; init; }

    public string? Version { get; init; }

    public string? ProtocolVersion { get; init; }

    public DateTimeOffset ConnectedAt { get; init; }

    public DateTimeOffset LastActivityAt { get; init; }

    /// <summary>A worker answered the client's initialize.</summary>
    public bool Initialized { get; init; }
}

/// <summary>What the supervisor has done since it started. Changed under the supervisor's lock.</summary>
internal sealed class SupervisorCounters
{
    public int Restarts { get; set; }

    public int CrashRecoveries { get; set; }

    public int RolledBack { get; set; }

    public long Buffered { get; set; }

    public long Replayed { get; set; }

    public long Interrupted { get; set; }

    public long Rejected { get; set; }
}

/// <summary>A worker that could not be started, initialized or health-checked, or that died meanwhile.</summary>
internal sealed class WorkerFailedException : Exception
{
    public WorkerFailedException(string message, WorkerProcess? worker)
        : base(message) => Worker = worker;

    public WorkerFailedException()
    {
    }

    public WorkerFailedException(string message)
        : base(message)
    {
    }

    public WorkerFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public WorkerProcess? Worker { get; }
}
