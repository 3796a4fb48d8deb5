using TaskOrchestrator.Core.Artifacts;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Reports;

/// <summary>The combined result of a task's subtree.</summary>
public sealed record SynthesisReport
{
    /// <summary>The task whose work is synthesized.</summary>
    public required TaskRecord Parent { get; init; }

    /// <summary>Every subtask at any depth, oldest first.</summary>
    public required IReadOnlyList<TaskRecord> Subtasks { get; init; }

    /// <summary>Subtask counts per status.</summary>
    public required IReadOnlyDictionary<TaskItemStatus, int> Counts { get; init; }

    /// <summary>Completed ÷ ended (completed, failed, cancelled or archived), where work archived after completing counts as completed; null while nothing has ended.</summary>
    public double? SuccessRate { get; init; }

    /// <summary>Completed (including archived after completing) ÷ all subtasks; 0 when there are none.</summary>
    public double CompletionRate { get; init; }

    /// <summary>Artifacts of the parent and its subtree, without content, oldest first.</summary>
    public required IReadOnlyList<ArtifactRecord> Artifacts { get; init; }

    /// <summary>Completed tasks (the parent included, if completed) with their result summaries, in completion order.</summary>
    public required IReadOnlyList<TaskRecord> Outcomes { get; init; }

    /// <summary>Subtasks still open.</summary>
    public required IReadOnlyList<TaskRecord> Remaining { get; init; }

    /// <summary>The event log of the subtree, oldest first.</summary>
    public required IReadOnlyList<EventRecord> Timeline { get; init; }

    /// <summary>True when the timeline was cut at its limit.</summary>
    public bool TimelineTruncated { get; init; }
}
