namespace TaskOrchestrator.Bench.Shared;

/// <summary>One generated task; enum values are wire names.</summary>
internal readonly record struct GeneratedTask(string Title, string Description, string TaskType, string Priority, string Complexity);
