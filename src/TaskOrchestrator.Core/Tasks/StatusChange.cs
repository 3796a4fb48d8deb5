namespace TaskOrchestrator.Core.Tasks;

/// <summary>One status move of one task, as recorded in the event log.</summary>
/// <param name="TaskId">The task that moved.</param>
/// <param name="From">Its status before.</param>
/// <param name="To">Its status after.</param>
/// <param name="Reason">Why, when a reason was given.</param>
public sealed record StatusChange(string TaskId, TaskItemStatus From, TaskItemStatus To, string? Reason);
