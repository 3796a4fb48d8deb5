using System.Collections.Frozen;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;

namespace TaskOrchestrator.Core.Tasks;

/// <summary>
/// The legal status moves. A terminal status (completed, failed, cancelled) changes only through an
/// explicit reopen (back to pending) or archive; archived never changes.
/// </summary>
public static class TaskTransitions
{
    private static readonly FrozenDictionary<TaskItemStatus, TaskItemStatus[]> Moves =
        new Dictionary<TaskItemStatus, TaskItemStatus[]>
        {
            [TaskItemStatus.Pending] = [TaskItemStatus.InProgress, TaskItemStatus.Blocked, TaskItemStatus.Cancelled, TaskItemStatus.Archived],
            [TaskItemStatus.InProgress] = [TaskItemStatus.Completed, TaskItemStatus.Failed, TaskItemStatus.Blocked, TaskItemStatus.Pending, TaskItemStatus.Cancelled],
            [TaskItemStatus.Blocked] = [TaskItemStatus.Pending, TaskItemStatus.Failed, TaskItemStatus.Cancelled, TaskItemStatus.Archived],
            [TaskItemStatus.Completed] = [TaskItemStatus.Pending, TaskItemStatus.Archived],
            [TaskItemStatus.Failed] = [TaskItemStatus.Pending, TaskItemStatus.Cancelled, TaskItemStatus.Archived],
            [TaskItemStatus.Cancelled] = [TaskItemStatus.Pending, TaskItemStatus.Archived],
            [TaskItemStatus.Archived] = [],
        }.ToFrozenDictionary();

    /// <summary>The statuses a task in <paramref name="from"/> may move to.</summary>
    public static IReadOnlyList<TaskItemStatus> AllowedFrom(TaskItemStatus from) => Moves[from];

    /// <summary>True when <paramref name="from"/> → <paramref name="to"/> is a legal move.</summary>
    public static bool IsAllowed(TaskItemStatus from, TaskItemStatus to) => Array.IndexOf(Moves[from], to) >= 0;

    /// <summary>Completed, failed, cancelled and archived: work on the task has ended.</summary>
    public static bool IsTerminal(TaskItemStatus status) =>
        status is TaskItemStatus.Completed or TaskItemStatus.Failed or TaskItemStatus.Cancelled or TaskItemStatus.Archived;

    /// <summary>
    /// Throws an illegal-transition error unless the move is allowed. <paramref name="field"/> names the
    /// argument that asked for the move: "status" when the caller chose the status (then the allowed
    /// statuses are listed), otherwise the task id whose state forbids the call.
    /// </summary>
    public static void Ensure(string taskId, TaskItemStatus from, TaskItemStatus to, string? hint = null, string field = "status")
    {
        if (IsAllowed(from, to))
        {
            return;
        }

        var allowed = Moves[from].Select(WireNames.Of<TaskItemStatus>).ToArray();
        string allowedText = allowed.Length == 0 ? "none: archived is final" : string.Join(", ", allowed);
        throw Fail.With(
            ErrorCodes.IllegalTransition,
            $"Task '{taskId}' is '{WireNames.Of<TaskItemStatus>(from)}'; it cannot move to '{WireNames.Of<TaskItemStatus>(to)}'. Allowed from '{WireNames.Of<TaskItemStatus>(from)}': {allowedText}.",
            field,
            field == "status" ? allowed : null,
            hint ?? DefaultHint(from));
    }

    /// <summary>
    /// Throws unless the task is in progress: reporting work (completion, revision, blocking) is only
    /// meaningful for work that was started.
    /// </summary>
    public static void EnsureInProgress(string taskId, TaskItemStatus current, TaskItemStatus to)
    {
        if (current == TaskItemStatus.InProgress)
        {
            return;
        }

        throw Fail.With(
            ErrorCodes.IllegalTransition,
            $"Task '{taskId}' is '{WireNames.Of(current)}'; only a task in progress can be reported, so it cannot move to '{WireNames.Of(to)}' this way.",
            "task_id",
            null,
            DefaultHint(current));
    }

    private static string DefaultHint(TaskItemStatus from) => from switch
    {
        TaskItemStatus.Pending => "Start it with orchestrator_execute_task first.",
        TaskItemStatus.Blocked => "Unblock it first: orchestrator_update_task with status='pending'.",
        TaskItemStatus.Completed or TaskItemStatus.Failed or TaskItemStatus.Cancelled =>
            "Reopen it first: orchestrator_update_task with status='pending'.",
        TaskItemStatus.Archived => "Archived tasks are final; plan a new task instead.",
        _ => "Finish it with orchestrator_complete_task or send it back with status='pending'.",
    };
}
