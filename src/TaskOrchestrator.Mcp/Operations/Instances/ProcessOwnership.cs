namespace TaskOrchestrator.Mcp.Operations.Instances;

/// <summary>What a registered process id stands for now.</summary>
public enum ProcessOwnership
{
    /// <summary>No such process (or only its zombie is left).</summary>
    Gone,

    /// <summary>The process id now belongs to another program, or to another process of the same program started later.</summary>
    Foreign,

    /// <summary>The very process that registered the row: same start time, and its command line names this program.</summary>
    Ours,

    /// <summary>The row was written on another machine, whose processes cannot be inspected from here.</summary>
    OtherHost,
}
