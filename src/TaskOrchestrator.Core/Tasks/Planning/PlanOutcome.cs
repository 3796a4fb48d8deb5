namespace TaskOrchestrator.Core.Tasks.Planning;

/// <summary>What a plan call created.</summary>
/// <param name="Root">The top task.</param>
/// <param name="Subtasks">Every task below the top one, parents before children, in request order.</param>
public sealed record PlanOutcome(PlannedTask Root, IReadOnlyList<PlannedTask> Subtasks);
