namespace TaskOrchestrator.Core.Maintenance.Dependencies;

/// <summary>A finding before its tasks' titles are read: every involved id, for scoping and ordering.</summary>
/// <param name="Kind">What kind of problem.</param>
/// <param name="Severity">How bad it is.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="TaskIds">Every task involved, the one to act on first.</param>
/// <param name="TasksInvolved">How many tasks the finding concerns (at least <paramref name="TaskIds"/>' count).</param>
/// <param name="Fix">How to resolve it.</param>
/// <param name="Rank">Orders findings of one kind: lower first (the most dependents first for single points of failure).</param>
internal sealed record FindingDraft(
    DependencyFindingKind Kind,
    FindingSeverity Severity,
    string Message,
    IReadOnlyList<string> TaskIds,
    int TasksInvolved,
    SuggestedFix Fix,
    long Rank = 0);
