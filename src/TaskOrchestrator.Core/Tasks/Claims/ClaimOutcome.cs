using TaskOrchestrator.Core.Tasks.Execution;

namespace TaskOrchestrator.Core.Tasks.Claims;

/// <summary>What a claim-next call found.</summary>
/// <param name="Claimed">The claimed task with its execution context, or null when no task was ready for the agent.</param>
/// <param name="Pending">With nothing claimed: pending tasks in the workspace (waiting for dependencies or subtasks, or for other roles), counted up to <see cref="TaskClaimer.OpenWorkCountCap"/>.</param>
/// <param name="InProgress">With nothing claimed: tasks in progress in the workspace, whose completion may make more ready, counted up to <see cref="TaskClaimer.OpenWorkCountCap"/>.</param>
public sealed record ClaimOutcome(ExecutionOutcome? Claimed, int Pending, int InProgress);
