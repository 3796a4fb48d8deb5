namespace TaskOrchestrator.Core.Tasks;

/// <summary>One page of a task query and the number of tasks matching it in all.</summary>
/// <param name="Items">The tasks on this page, in the requested order.</param>
/// <param name="TotalCount">How many tasks match the filters, across all pages.</param>
public sealed record TaskPage(IReadOnlyList<TaskRecord> Items, int TotalCount);
