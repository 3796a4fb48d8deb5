namespace TaskOrchestrator.Core.Maintenance.Dependencies;

/// <summary>The result of <see cref="DependencyValidator.ValidateAsync"/>.</summary>
/// <param name="Score">Health of the graph, 0 to 100 (see <see cref="DependencyHealthScore"/>).</param>
/// <param name="Findings">The findings listed, most severe kind first.</param>
/// <param name="Summary">Per kind, in the order of <see cref="DependencyFindingKind"/>: found, reported and penalty.</param>
/// <param name="TasksAnalyzed">Tasks in the scope.</param>
/// <param name="DependenciesAnalyzed">Dependency edges touching the scope.</param>
/// <param name="MinDependents">The single-point-of-failure threshold used.</param>
/// <param name="LimitsReached">One sentence per limit the analysis stopped at; empty when it saw everything.</param>
public sealed record DependencyReport(
    int Score,
    IReadOnlyList<DependencyFinding> Findings,
    IReadOnlyList<KindSummary> Summary,
    int TasksAnalyzed,
    int DependenciesAnalyzed,
    int MinDependents,
    IReadOnlyList<string> LimitsReached)
{
    /// <summary>True when the analysis stopped at a limit: findings were left out or some counts are unknown.</summary>
    public bool Truncated => LimitsReached.Count > 0;
}
