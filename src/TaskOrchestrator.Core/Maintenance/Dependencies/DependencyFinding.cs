namespace TaskOrchestrator.Core.Maintenance.Dependencies;

/// <summary>One problem in the dependency graph or the task tree.</summary>
/// <param name="Kind">What kind of problem.</param>
/// <param name="Severity">How bad it is.</param>
/// <param name="Message">What is wrong, naming the tasks.</param>
/// <param name="Tasks">The tasks involved, the one to act on first; at most <see cref="DependencyValidator.TasksPerFinding"/>.</param>
/// <param name="TasksInvolved">How many tasks are involved in all (more than <paramref name="Tasks"/> lists when it was cut).</param>
/// <param name="Fix">How to resolve it.</param>
public sealed record DependencyFinding(
    DependencyFindingKind Kind,
    FindingSeverity Severity,
    string Message,
    IReadOnlyList<TaskMention> Tasks,
    int TasksInvolved,
    SuggestedFix Fix);
