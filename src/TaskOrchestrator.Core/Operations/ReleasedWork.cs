using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Operations;

/// <summary>A task in progress whose hold ended: sent back to pending, or left with its agent.</summary>
/// <param name="Task">The task as it was before the release.</param>
/// <param name="Cause">Why: <c>instance_dead</c>, <c>instance_stopped</c>, <c>shutdown</c> or <c>lease_expired</c>.</param>
/// <param name="BackToPending">
/// True when the task went back to pending; false when only the instance's hold ended and the agent
/// that started it keeps it until its lease expires.
/// </param>
public sealed record ReleasedWork(TaskRecord Task, string Cause, bool BackToPending = true);
