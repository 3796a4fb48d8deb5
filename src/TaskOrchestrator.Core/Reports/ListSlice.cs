namespace TaskOrchestrator.Core.Reports;

/// <summary>The first items of a longer list, and how long the list is.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items shown.</param>
/// <param name="TotalCount">How many there are in all.</param>
public sealed record ListSlice<T>(IReadOnlyList<T> Items, int TotalCount);
