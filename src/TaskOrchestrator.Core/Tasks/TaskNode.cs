namespace TaskOrchestrator.Core.Tasks;

/// <summary>The shape and state of one task without its content, for whole-graph checks.</summary>
/// <param name="Id">The task.</param>
/// <param name="ParentId">Its parent, if any.</param>
/// <param name="SessionId">The session that created it, if any.</param>
/// <param name="Status">Its status.</param>
/// <param name="SatisfiesDependents">Whether it counts as done for the tasks that depend on it.</param>
public sealed record TaskNode(string Id, string? ParentId, string? SessionId, TaskItemStatus Status, bool SatisfiesDependents);
