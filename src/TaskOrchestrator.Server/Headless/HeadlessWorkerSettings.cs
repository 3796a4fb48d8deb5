using Serilog.Events;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Server.Headless;

/// <summary>How <c>task-orchestrator worker</c> was asked to run, already validated.</summary>
/// <param name="Workspace">The --workspace option, if given.</param>
/// <param name="ConfigFile">An optional JSON configuration file (Storage:Sqlite and Health sections).</param>
/// <param name="LogLevel">The minimum level logged (to stderr and the workspace's log folder).</param>
/// <param name="Specialists">The specialist roles whose tasks this worker takes.</param>
/// <param name="TaskTypes">Only tasks of these types; empty takes any type.</param>
/// <param name="Command">The shell command run for each task, through <c>/bin/sh -c</c>.</param>
/// <param name="AgentId">The agent the claims are recorded under.</param>
/// <param name="Concurrency">How many commands run at once.</param>
/// <param name="Lease">How long a claim holds without a heartbeat; heartbeats come at a third of it.</param>
/// <param name="PollInterval">The longest wait between two claim attempts while nothing is ready.</param>
/// <param name="GracePeriod">On SIGTERM/SIGINT, how long running commands may still finish before they are killed.</param>
/// <param name="OutputLimit">The most characters of each of stdout and stderr kept for the artifact.</param>
/// <param name="ExitWhenIdle">Stop once nothing runs here and the workspace has no pending or in-progress task.</param>
internal sealed record HeadlessWorkerSettings(
    string? Workspace,
    string? ConfigFile,
    LogEventLevel LogLevel,
    IReadOnlyList<string> Specialists,
    IReadOnlyList<TaskType> TaskTypes,
    string Command,
    string AgentId,
    int Concurrency,
    TimeSpan Lease,
    TimeSpan PollInterval,
    TimeSpan GracePeriod,
    int OutputLimit,
    bool ExitWhenIdle)
{
    /// <summary>The agent id a worker takes when none is given: <c>worker-&lt;host&gt;-&lt;pid&gt;</c>.</summary>
    public static string DefaultAgentId => $"worker-{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>The time between two heartbeats of a claim: a third of the lease, so that two may fail before it lapses.</summary>
    public TimeSpan HeartbeatInterval => Lease / 3;
}
