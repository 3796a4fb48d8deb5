namespace TaskOrchestrator.Core.Maintenance.Dependencies;

/// <summary>The findings of one kind and what they cost the score.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Found">Findings of this kind in the scope.</param>
/// <param name="Reported">Findings listed (at most <see cref="DependencyValidator.FindingsPerKind"/>).</param>
/// <param name="Penalty">Points taken off the score for them (see <see cref="DependencyHealthScore"/>).</param>
public sealed record KindSummary(DependencyFindingKind Kind, int Found, int Reported, int Penalty);
