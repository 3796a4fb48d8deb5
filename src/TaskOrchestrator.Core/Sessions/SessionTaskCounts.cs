using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Sessions;

/// <summary>A session with how many of its tasks are in each status.</summary>
/// <param name="Session">The session.</param>
/// <param name="Counts">Task counts per status; statuses with no tasks are absent.</param>
public sealed record SessionTaskCounts(SessionRecord Session, IReadOnlyDictionary<TaskItemStatus, int> Counts)
{
    /// <summary>All tasks of the session.</summary>
    public int Total => Counts.Values.Sum();

    /// <summary>Tasks of the session that are completed.</summary>
    public int Completed => Counts.GetValueOrDefault(TaskItemStatus.Completed);
}
