namespace TaskOrchestrator.Mcp.Operations.Health;

/// <summary>
/// Heartbeats, stale-instance cleanup, health thresholds, the background monitor, its alert hooks and
/// recovery actions (configuration section <c>Health</c>; defaults documented in docs/reference.md).
/// </summary>
public sealed class HealthOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Health";

    /// <summary>How often this process renews its server_instance rows.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How old a heartbeat may be before its instance counts as stale. Must exceed twice the heartbeat
    /// interval, so one late or lost heartbeat never gets a live process declared dead.
    /// </summary>
    public TimeSpan InstanceTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a stale process of ours gets between SIGTERM and SIGKILL.</summary>
    public TimeSpan StaleProcessGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether the background health monitor runs.</summary>
    public bool MonitorEnabled { get; set; } = true;

    /// <summary>How often the background monitor runs its checks.</summary>
    public TimeSpan MonitorInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The monitor runs the integrity quick check once every this many passes (0: never).</summary>
    public int MonitorIntegrityEvery { get; set; } = 20;

    /// <summary>Consecutive critical monitor passes after which a supervised worker asks to be replaced.</summary>
    public int CriticalPassesBeforeRestart { get; set; } = 3;

    /// <summary>A write probe slower than this is degraded.</summary>
    public TimeSpan WriteProbeDegradedLatency { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A write probe slower than this is critical (a probe that fails is always critical).</summary>
    public TimeSpan WriteProbeCriticalLatency { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A write-ahead log larger than this is degraded, and the monitor checkpoints it.</summary>
    public long WalDegradedBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>A write-ahead log larger than this is critical.</summary>
    public long WalCriticalBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Less free space than this on the workspace's file system is degraded.</summary>
    public long DiskFreeDegradedBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>Less free space than this is critical.</summary>
    public long DiskFreeCriticalBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Less free space than this percentage of the file system is degraded.</summary>
    public double DiskFreeDegradedPercent { get; set; } = 5;

    /// <summary>Less free space than this percentage is critical.</summary>
    public double DiskFreeCriticalPercent { get; set; } = 1;

    /// <summary>A resident set larger than this is degraded.</summary>
    public long MemoryDegradedBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>A resident set larger than this is critical.</summary>
    public long MemoryCriticalBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>A call in flight for longer than this makes the connections check degraded.</summary>
    public TimeSpan SlowCallThreshold { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A shell command run on every status transition (by <c>/bin/sh -c</c>), with the transition's
    /// JSON on stdin and in TASK_ORCHESTRATOR_ALERT_* environment variables. Empty: no command.
    /// </summary>
    public string? AlertCommand { get; set; }

    /// <summary>How long the alert command may run before it is killed.</summary>
    public TimeSpan AlertCommandTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A URL that receives every transition as an HTTP POST of its JSON. Empty: none.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>How long a webhook POST may take.</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
