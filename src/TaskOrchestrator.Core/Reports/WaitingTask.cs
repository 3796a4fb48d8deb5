using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Reports;

/// <summary>A pending task and the unfinished dependencies it waits for.</summary>
/// <param name="Task">The task.</param>
/// <param name="WaitingFor">Its unsatisfied hard dependencies.</param>
public sealed record WaitingTask(TaskRecord Task, IReadOnlyList<DependencyState> WaitingFor);
