using TaskOrchestrator.Core.Operations;

namespace TaskOrchestrator.Mcp.Operations.Instances;

/// <summary>What a stale-instance sweep found and did.</summary>
/// <param name="MarkedDead">The instances marked dead, with how each was found (gone, foreign, terminated, killed, other_host).</param>
/// <param name="Released">The work released because its holder is dead or stopped.</param>
public sealed record SweepReport(IReadOnlyList<(ServerInstanceRecord Instance, string Finding)> MarkedDead, IReadOnlyList<ReleasedWork> Released)
{
    /// <summary>A sweep that did nothing.</summary>
    public static SweepReport Empty { get; } = new([], []);
}
