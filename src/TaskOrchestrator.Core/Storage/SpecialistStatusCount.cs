using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Storage;

/// <summary>How many tasks of one specialist role are in one status.</summary>
/// <param name="SpecialistType">The role.</param>
/// <param name="Status">The status.</param>
/// <param name="Count">The number of tasks.</param>
public sealed record SpecialistStatusCount(string SpecialistType, TaskItemStatus Status, int Count);
