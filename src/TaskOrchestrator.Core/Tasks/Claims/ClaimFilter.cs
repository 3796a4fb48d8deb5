namespace TaskOrchestrator.Core.Tasks.Claims;

/// <summary>Which ready tasks an agent takes: empty lists take any role or type.</summary>
/// <param name="SpecialistTypes">Only tasks for these specialist roles.</param>
/// <param name="TaskTypes">Only tasks of these types.</param>
/// <param name="WithinTaskId">Only descendants of this task, at any depth.</param>
public sealed record ClaimFilter(IReadOnlyList<string> SpecialistTypes, IReadOnlyList<TaskType> TaskTypes, string? WithinTaskId);
