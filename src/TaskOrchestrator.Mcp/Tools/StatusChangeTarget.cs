using System.Text.Json.Serialization;

namespace TaskOrchestrator.Mcp.Tools;

/// <summary>The statuses orchestrator_update_task can set; in_progress and completed have their own tools.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StatusChangeTarget>))]
public enum StatusChangeTarget
{
    /// <summary>Unblock, reopen or release.</summary>
    [JsonStringEnumMemberName("pending")] Pending,

    /// <summary>Block with a reason.</summary>
    [JsonStringEnumMemberName("blocked")] Blocked,

    /// <summary>Fail with a reason.</summary>
    [JsonStringEnumMemberName("failed")] Failed,

    /// <summary>Cancel (without subtasks; use orchestrator_cancel_task to cascade).</summary>
    [JsonStringEnumMemberName("cancelled")] Cancelled,

    /// <summary>Archive for good.</summary>
    [JsonStringEnumMemberName("archived")] Archived,
}
