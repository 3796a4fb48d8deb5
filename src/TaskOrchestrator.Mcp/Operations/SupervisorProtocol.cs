namespace TaskOrchestrator.Mcp.Operations;

/// <summary>
/// What passes between the supervisor and its worker beside the client's MCP traffic. The worker is
/// an ordinary stdio MCP server; the supervisor adds only what is named here.
/// </summary>
public static class SupervisorProtocol
{
    /// <summary>
    /// The hidden command a supervisor starts its worker with. Not <c>worker</c>: that name belongs to
    /// the headless task workers users run.
    /// </summary>
    public const string WorkerCommand = "serve-worker";

    /// <summary>Set to "1" in a worker's environment: it runs under a supervisor.</summary>
    public const string SupervisedVariable = "TASK_ORCHESTRATOR_SUPERVISED";

    /// <summary>The supervisor's instance id: the identity that holds work across worker restarts.</summary>
    public const string InstanceIdVariable = "TASK_ORCHESTRATOR_INSTANCE_ID";

    /// <summary>The supervisor's process id.</summary>
    public const string SupervisorPidVariable = "TASK_ORCHESTRATOR_SUPERVISOR_PID";

    /// <summary>The supervisor's process start time in clock ticks since boot (/proc/&lt;pid&gt;/stat field 22).</summary>
    public const string SupervisorStartTicksVariable = "TASK_ORCHESTRATOR_SUPERVISOR_START_TICKS";

    /// <summary>How many workers this supervisor started before this one (0 for the first).</summary>
    public const string WorkerGenerationVariable = "TASK_ORCHESTRATOR_WORKER_GENERATION";

    /// <summary>
    /// The session the client made current on its connection, carried from one worker to the next as
    /// JSON <c>{"workspace_root": …, "session_id": …}</c> so that a restart keeps it current.
    /// </summary>
    public const string BindingVariable = "TASK_ORCHESTRATOR_CONNECTION_BINDING";

    /// <summary>
    /// The <c>_meta</c> key under which the supervisor adds <see cref="SupervisorFacts"/> to the
    /// <c>tools/call</c> requests it forwards for <see cref="FactsTools"/>.
    /// </summary>
    public const string FactsMetaKey = "io.github.task-orchestrator/supervisor";

    /// <summary>The tools whose calls carry the supervisor's facts.</summary>
    public static IReadOnlyList<string> FactsTools { get; } = ["orchestrator_health_check", "orchestrator_shutdown_prepare", "orchestrator_get_status"];

    /// <summary>The tools the supervisor answers itself when there is one.</summary>
    public static IReadOnlyList<string> SupervisorTools { get; } = ["orchestrator_restart_server", "orchestrator_restart_status", "orchestrator_reconnect_test"];

    /// <summary>
    /// Worker → supervisor notification: the worker's health monitor asks to be replaced (params:
    /// <c>reason</c>, a restart reason wire name, and <c>detail</c>). Never forwarded to the client.
    /// </summary>
    public const string RestartRequestedMethod = "notifications/task_orchestrator/restart_requested";

    /// <summary>
    /// Worker → supervisor notification: the client made a session current on its connection (params:
    /// <c>workspace_root</c>, <c>session_id</c>). Never forwarded to the client; passed to the next
    /// worker in <see cref="BindingVariable"/>.
    /// </summary>
    public const string BindingMethod = "notifications/task_orchestrator/binding";

    /// <summary>
    /// Supervisor → worker notification sent just before the supervisor closes the worker's stdin
    /// (params: <c>restart</c>, true when a new worker will take over). On a final stop the worker
    /// releases the work its instance holds; on a restart it keeps it for the next worker.
    /// </summary>
    public const string StoppingMethod = "notifications/task_orchestrator/stopping";
}
