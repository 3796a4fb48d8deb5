using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Reports;

/// <summary>The state of the work in a workspace (or one session) at one moment.</summary>
public sealed record StatusReport
{
    /// <summary>Task counts per status.</summary>
    public required IReadOnlyDictionary<TaskItemStatus, int> Counts { get; init; }

    /// <summary>Task counts per specialist role and status.</summary>
    public required IReadOnlyList<SpecialistStatusCount> BySpecialist { get; init; }

    /// <summary>Tasks in progress, most recently changed first.</summary>
    public required ListSlice<TaskRecord> Active { get; init; }

    /// <summary>Tasks ready to start, in hand-out order.</summary>
    public required ListSlice<TaskRecord> Ready { get; init; }

    /// <summary>Tasks explicitly blocked, with their reason in <see cref="TaskRecord.StatusReason"/>.</summary>
    public required ListSlice<TaskRecord> Blocked { get; init; }

    /// <summary>Pending tasks still waiting for dependencies, with what they wait for.</summary>
    public required ListSlice<WaitingTask> Waiting { get; init; }

    /// <summary>Recently completed tasks, when asked for.</summary>
    public ListSlice<TaskRecord>? RecentlyCompleted { get; init; }

    /// <summary>All tasks counted.</summary>
    public int Total => Counts.Values.Sum();
}
