using System.Text.Json.Serialization;

namespace TaskOrchestrator.Core.Sessions;

/// <summary>Which sessions a cleanup puts away.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SessionCleanupType>))]
public enum SessionCleanupType
{
    /// <summary>Active sessions with no activity for the age threshold: archived; their tasks stay as they are.</summary>
    [JsonStringEnumMemberName("inactive")] Inactive,

    /// <summary>Sessions whose tasks have all ended: archived together with those tasks.</summary>
    [JsonStringEnumMemberName("completed")] Completed,

    /// <summary>Sessions that never planned a task: deleted.</summary>
    [JsonStringEnumMemberName("empty")] Empty,

    /// <summary>All of the above, each session by the first rule that applies (empty, completed, inactive).</summary>
    [JsonStringEnumMemberName("all")] All,
}
