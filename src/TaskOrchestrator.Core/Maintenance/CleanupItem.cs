using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Maintenance;

/// <summary>A task the cleanup scan found, why, and what was (or would be) done.</summary>
/// <param name="Task">The task as found.</param>
/// <param name="Problem">What is wrong with it.</param>
/// <param name="Action">"reset_to_pending", "archived" or "reported" (left alone, with the reason in <paramref name="Problem"/>).</param>
public sealed record CleanupItem(TaskRecord Task, string Problem, string Action);
