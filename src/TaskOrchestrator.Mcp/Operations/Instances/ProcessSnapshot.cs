namespace TaskOrchestrator.Mcp.Operations.Instances;

/// <summary>A process as /proc shows it.</summary>
/// <param name="ProcessId">Its id.</param>
/// <param name="State">The state letter of /proc/&lt;pid&gt;/stat (R, S, D, Z, T…).</param>
/// <param name="StartTicks">Its start time in clock ticks since boot (field 22).</param>
/// <param name="CommandLine">Its arguments, the program first.</param>
public sealed record ProcessSnapshot(int ProcessId, char State, long StartTicks, IReadOnlyList<string> CommandLine)
{
    /// <summary>True for a process that has exited and waits only to be reaped.</summary>
    public bool IsZombie => State is 'Z' or 'X' or 'x';
}
