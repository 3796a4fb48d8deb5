using System.ComponentModel.DataAnnotations;

namespace TaskOrchestrator.Server.Supervision;

/// <summary>
/// How the supervisor runs its workers: configuration section <c>Supervisor</c>, read once when the
/// supervisor starts (the worker's own sections are re-read by every new worker).
/// </summary>
internal sealed class SupervisorOptions
{
    public const string Section = "Supervisor";

    /// <summary>
    /// The build workers run: a published folder, its apphost or assembly, or a symbolic link to one;
    /// resolved again at every start, so re-pointing a link is how a restart picks up a new build.
    /// Default: the build the supervisor runs from.
    /// </summary>
    public string? WorkerPath { get; set; }

    /// <summary>
    /// Whether the supervisor answers the client's first <c>initialize</c> itself, as the worker's SDK
    /// would, when the first worker runs the supervisor's own build: the handshake is then answered
    /// while the worker starts, and the client's next messages wait for it. False sends the handshake
    /// to the worker, as for any other build.
    /// </summary>
    public bool AnswerHandshake { get; set; } = true;

    /// <summary>How long a new worker may take to start, initialize and pass its health check when it replaces a crashed one.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The delay before the first restart after a crash; it doubles with each crash in a row.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan CrashBackoff { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest delay between crash restarts.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxCrashBackoff { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>This many crashes within <see cref="CrashWindow"/> make the supervisor stop restarting (critical).</summary>
    [Range(1, 100)]
    public int CrashLoopLimit { get; set; } = 5;

    /// <summary>The window in which crashes are counted.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CrashWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The most client messages held while no worker can take them.</summary>
    [Range(1, 1_000_000)]
    public int BufferLimit { get; set; } = 1_000;

    /// <summary>The most bytes of client messages held while no worker can take them.</summary>
    [Range(1_024, 1L << 32)]
    public long BufferByteLimit { get; set; } = 64L * 1024 * 1024;

    /// <summary>When the client goes away or the supervisor is signalled: how long calls in flight may take to finish.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ShutdownDrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a stopping worker may take to exit after its stdin closes before it is killed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan WorkerStopTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
