using System.ComponentModel;
using TaskOrchestrator.Mcp.Metrics;
using TaskOrchestrator.Mcp.Metrics.Slo;
using TaskOrchestrator.Mcp.Views;

namespace TaskOrchestrator.Mcp.Results;

/// <summary>A completed task's outcome.</summary>
public sealed record OutcomeView(string TaskId, string Title, string SpecialistType, DateTimeOffset? CompletedAt, string? Summary, IReadOnlyList<string> ArtifactIds);

/// <summary>Result of orchestrator_synthesize_results.</summary>
public sealed record SynthesizeResultsResult(
    TaskView Parent,
    [property: Description("Subtasks at any depth.")] int TotalSubtasks,
    [property: Description("Subtask counts by status.")] IReadOnlyDictionary<string, int> StatusCounts,
    [property: Description("completed ÷ ended among subtasks (ended: completed, failed, cancelled or archived; work archived after completing counts as completed); null while none has ended.")] double? SuccessRate,
    [property: Description("completed (including archived after completing) ÷ all subtasks.")] double CompletionRate,
    [property: Description("Artifacts of the task and its subtree (without content).")] IReadOnlyList<ArtifactView> Artifacts,
    [property: Description("Completed tasks with their summaries, in completion order.")] IReadOnlyList<OutcomeView> KeyOutcomes,
    [property: Description("Subtasks still open.")] IReadOnlyList<TaskRef> Remaining,
    [property: Description("The event log of the subtree, oldest first.")] IReadOnlyList<EventView> Timeline,
    bool TimelineTruncated,
    [property: Description("The synthesis as a markdown report.")] string ReportMarkdown);

/// <summary>A task in progress and who holds it.</summary>
public sealed record ActiveTaskView(TaskRef Task, string? AssignedAgent, DateTimeOffset? StartedAt, DateTimeOffset UpdatedAt);

/// <summary>Tool-call figures of this server process.</summary>
public sealed record PerformanceView(
    [property: Description("When counting started (the process start).")] DateTimeOffset Since,
    long TotalCalls,
    long TotalErrors,
    IReadOnlyList<ToolCallStats> Tools);

/// <summary>Memory and storage of this server process and workspace.</summary>
public sealed record ResourceUsageView(
    [property: Description("Resident memory of the server process.")] long WorkingSetBytes,
    long PeakWorkingSetBytes,
    [property: Description("Managed heap in use.")] long GcHeapBytes,
    [property: Description("Size of the workspace database.")] long DatabaseBytes,
    [property: Description("Size of its write-ahead log not yet checkpointed.")] long WalBytes,
    int ArtifactCount,
    [property: Description("Total artifact content, in characters.")] long ArtifactContentChars,
    double UptimeSeconds,
    int SchemaVersion);

/// <summary>Result of orchestrator_get_status.</summary>
public sealed record GetStatusResult(
    WorkspaceView Workspace,
    [property: Description("The session the report is limited to, or null for the whole workspace.")] string? SessionId,
    IReadOnlyDictionary<string, int> CountsByStatus,
    int TotalTasks,
    [property: Description("Task counts by specialist role, then status.")] IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> CountsBySpecialist,
    IReadOnlyList<ActiveTaskView> Active,
    int ActiveTotal,
    [property: Description("Ready tasks in hand-out order.")] IReadOnlyList<TaskRef> Ready,
    int ReadyTotal,
    IReadOnlyList<BlockedTaskView> Blocked,
    int BlockedTotal,
    IReadOnlyList<WaitingTaskView> Waiting,
    int WaitingTotal,
    [property: Description("Recently completed tasks; present when include_completed was set.")] IReadOnlyList<TaskRef>? RecentlyCompleted,
    [property: Description("Tool-call counts and latency percentiles; present when include_performance_metrics was set.")] PerformanceView? Performance,
    [property: Description("Memory and database size; present when include_resource_usage was set.")] ResourceUsageView? ResourceUsage,
    [property: Description("Per-tool availability and latency SLIs over the rolling window with their objectives, remaining error budgets and burn rates; present when include_slo was set.")] SloView? Slo);
