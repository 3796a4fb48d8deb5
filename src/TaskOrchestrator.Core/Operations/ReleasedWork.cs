using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Operations;

/// <summary>A task in progress that was sent back to pending because its hold ended.</summary>
/// <param name="Task">The task as it was before the release.</param>
/// <param name="Cause">Why: <c>instance_dead</c>, <c>instance_stopped</c>, <c>shutdown</c> or <c>lease_expired</c>.</param>
public sealed record ReleasedWork(TaskRecord Task, string Cause);
