using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Maintenance.Dependencies;

/// <summary>A task named by a finding.</summary>
/// <param name="Id">The task id as referenced.</param>
/// <param name="Title">Its title, or null when no task with this id exists.</param>
/// <param name="Status">Its status, or null when no task with this id exists.</param>
public sealed record TaskMention(string Id, string? Title, TaskItemStatus? Status)
{
    /// <summary>False for an id that names nothing (a dangling reference).</summary>
    public bool Exists => Status is not null;
}
