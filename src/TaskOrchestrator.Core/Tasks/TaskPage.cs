namespace TaskOrchestrator.Core.Tasks;

/// <summary>One page of a task query and how many tasks match it in all.</summary>
/// <param name="Items">The tasks on this page, in the requested order.</param>
/// <param name="TotalCount">
/// How many tasks match across all pages: exact when <paramref name="TotalIsExact"/>, otherwise an
/// estimate (searches) or a lower bound (filters only).
/// </param>
/// <param name="HasMore">True when tasks match beyond this page; always exact.</param>
/// <param name="TotalIsExact">False only when the query allowed an approximate count and counting exactly would have taken unbounded work.</param>
public sealed record TaskPage(IReadOnlyList<TaskRecord> Items, int TotalCount, bool HasMore, bool TotalIsExact = true);
