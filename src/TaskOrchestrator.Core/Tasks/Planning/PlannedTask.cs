namespace TaskOrchestrator.Core.Tasks.Planning;

/// <summary>One task a plan call created.</summary>
/// <param name="Key">Its local key, if the spec had one.</param>
/// <param name="Path">Where its spec was in the request, such as <c>subtasks[2]</c>.</param>
/// <param name="Task">The stored task.</param>
/// <param name="DependsOn">The ids of the tasks it waits for.</param>
/// <param name="Ready">True when it can start now.</param>
public sealed record PlannedTask(string? Key, string Path, TaskRecord Task, IReadOnlyList<string> DependsOn, bool Ready);
