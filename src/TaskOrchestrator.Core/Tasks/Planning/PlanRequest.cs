namespace TaskOrchestrator.Core.Tasks.Planning;

/// <summary>A plan call: one task tree, where to attach it and which session creates it.</summary>
/// <param name="Root">The top task of the tree.</param>
/// <param name="ParentTaskId">An existing task to attach the tree under, if any.</param>
/// <param name="SessionId">The session creating it, if any.</param>
public sealed record PlanRequest(TaskSpec Root, string? ParentTaskId, string? SessionId);
