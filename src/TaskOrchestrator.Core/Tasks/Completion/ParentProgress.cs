namespace TaskOrchestrator.Core.Tasks.Completion;

/// <summary>How far the subtasks of a parent have come.</summary>
/// <param name="Parent">The parent task.</param>
/// <param name="Total">Its subtasks.</param>
/// <param name="Completed">Subtasks completed.</param>
/// <param name="Ended">Subtasks that have ended in any way (completed, failed, cancelled, archived).</param>
public sealed record ParentProgress(TaskRecord Parent, int Total, int Completed, int Ended)
{
    /// <summary>Completed subtasks as a percentage of all, rounded down.</summary>
    public int PercentComplete => Total == 0 ? 0 : Completed * 100 / Total;

    /// <summary>True when no subtask is still open, so the parent can be completed.</summary>
    public bool AllEnded => Total > 0 && Ended == Total;
}
