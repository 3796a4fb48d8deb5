using System.Text.Json.Serialization;

namespace TaskOrchestrator.Core.Tasks;

/// <summary>Where a task is in its lifecycle. Legal moves are listed in <see cref="TaskTransitions"/>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TaskItemStatus>))]
public enum TaskItemStatus
{
    /// <summary>Created and waiting; ready once every hard dependency is completed.</summary>
    [JsonStringEnumMemberName("pending")] Pending,

    /// <summary>Being worked on by an agent.</summary>
    [JsonStringEnumMemberName("in_progress")] InProgress,

    /// <summary>Stopped by a stated reason until someone unblocks it.</summary>
    [JsonStringEnumMemberName("blocked")] Blocked,

    /// <summary>Done, with its result stored.</summary>
    [JsonStringEnumMemberName("completed")] Completed,

    /// <summary>Attempted and failed; may be reopened.</summary>
    [JsonStringEnumMemberName("failed")] Failed,

    /// <summary>Deliberately abandoned; may be reopened.</summary>
    [JsonStringEnumMemberName("cancelled")] Cancelled,

    /// <summary>Put away for good; no further moves.</summary>
    [JsonStringEnumMemberName("archived")] Archived,
}
