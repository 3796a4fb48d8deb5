namespace TaskOrchestrator.Mcp.Operations.Lifecycle;

/// <summary>
/// Where this process is in its life as a server: serving, or shutting down (and whether a supervisor
/// announced that another worker takes over). Thread-safe.
/// </summary>
public sealed class WorkerLifecycle
{
    private int _shuttingDown;
    private int _stopAnnouncement; // 0 none, 1 final stop, 2 restart

    /// <summary>True once shutdown began: new tool calls are refused.</summary>
    public bool IsShuttingDown => Volatile.Read(ref _shuttingDown) == 1;

    /// <summary>
    /// What the supervisor announced before closing stdin: true for a restart (the next worker keeps
    /// the work), false for a final stop, null when nothing was announced.
    /// </summary>
    public bool? RestartAnnounced => Volatile.Read(ref _stopAnnouncement) switch
    {
        1 => false,
        2 => true,
        _ => null,
    };

    /// <summary>Marks the start of shutdown; true for the first caller only.</summary>
    public bool BeginShutdown() => Interlocked.Exchange(ref _shuttingDown, 1) == 0;

    /// <summary>Records the supervisor's announcement (<see cref="SupervisorProtocol.StoppingMethod"/>).</summary>
    public void AnnounceStop(bool restart) => Volatile.Write(ref _stopAnnouncement, restart ? 2 : 1);
}
