namespace TaskOrchestrator.Core.Maintenance.Dependencies;

/// <summary>
/// The health score of a dependency graph:
/// <c>score = max(0, 100 − Σ over kinds of min(weight × found, cap))</c>, where found counts every finding
/// of the kind in the scope (also those beyond the listing limit):
/// <list type="table">
/// <item><term>dependency_cycle</term><description>25 per finding, at most 50</description></item>
/// <item><term>dangling_reference</term><description>15 per finding, at most 45</description></item>
/// <item><term>blocked_by_ended_work</term><description>10 per finding, at most 30</description></item>
/// <item><term>orphaned_subtree</term><description>10 per finding, at most 30</description></item>
/// <item><term>single_point_of_failure</term><description>5 per finding, at most 15</description></item>
/// </list>
/// A clean graph scores 100. The caps keep one kind from hiding the others: a long chain of risks
/// alone never drops the score below 85, while two cycles plus one dangling reference reach 35.
/// Integer arithmetic only, so the same graph always gets the same score.
/// </summary>
public static class DependencyHealthScore
{
    /// <summary>The score of a graph with no findings.</summary>
    public const int Perfect = 100;

    /// <summary>Points taken off per finding of <paramref name="kind"/>.</summary>
    public static int Weight(DependencyFindingKind kind) => kind switch
    {
        DependencyFindingKind.DependencyCycle => 25,
        DependencyFindingKind.DanglingReference => 15,
        DependencyFindingKind.BlockedByEndedWork => 10,
        DependencyFindingKind.OrphanedSubtree => 10,
        DependencyFindingKind.SinglePointOfFailure => 5,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The most points all findings of <paramref name="kind"/> together take off.</summary>
    public static int Cap(DependencyFindingKind kind) => kind switch
    {
        DependencyFindingKind.DependencyCycle => 50,
        DependencyFindingKind.DanglingReference => 45,
        DependencyFindingKind.BlockedByEndedWork => 30,
        DependencyFindingKind.OrphanedSubtree => 30,
        DependencyFindingKind.SinglePointOfFailure => 15,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Points taken off for <paramref name="found"/> findings of <paramref name="kind"/>.</summary>
    public static int Penalty(DependencyFindingKind kind, int found)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(found);

        // Compared before multiplying: a count in the millions must not overflow past the cap.
        return found >= Cap(kind) / Weight(kind) + 1 ? Cap(kind) : Math.Min(Weight(kind) * found, Cap(kind));
    }

    /// <summary>The score for the given penalties.</summary>
    public static int Score(IEnumerable<int> penalties)
    {
        ArgumentNullException.ThrowIfNull(penalties);
        return Math.Max(0, Perfect - penalties.Sum());
    }
}
