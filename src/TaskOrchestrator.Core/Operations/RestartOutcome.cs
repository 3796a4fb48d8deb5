using System.Text.Json.Serialization;

namespace TaskOrchestrator.Core.Operations;

/// <summary>How a restart ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RestartOutcome>))]
public enum RestartOutcome
{
    /// <summary>Still under way.</summary>
    [JsonStringEnumMemberName("in_progress")] InProgress,

    /// <summary>The new worker passed its health check and is serving.</summary>
    [JsonStringEnumMemberName("succeeded")] Succeeded,

    /// <summary>The new worker failed its health check; the previous build and configuration serve again.</summary>
    [JsonStringEnumMemberName("rolled_back")] RolledBack,

    /// <summary>No worker could be started; the supervisor answers every call with the cause.</summary>
    [JsonStringEnumMemberName("failed")] Failed,
}
