namespace TaskOrchestrator.Core.Maintenance;

/// <summary>The result of <c>validate_structure</c>.</summary>
/// <param name="Level">How deep it looked.</param>
/// <param name="ChecksRun">The checks that ran.</param>
/// <param name="Findings">Every problem found.</param>
/// <param name="TasksChecked">Tasks examined.</param>
/// <param name="DependenciesChecked">Dependency edges examined.</param>
/// <param name="ArtifactsVerified">Artifacts re-hashed (thorough only).</param>
public sealed record StructureReport(
    ValidationLevel Level,
    IReadOnlyList<string> ChecksRun,
    IReadOnlyList<StructureFinding> Findings,
    int TasksChecked,
    int DependenciesChecked,
    int ArtifactsVerified)
{
    /// <summary>True when nothing at error severity was found.</summary>
    public bool Valid => Findings.All(f => f.Severity != "error");
}
