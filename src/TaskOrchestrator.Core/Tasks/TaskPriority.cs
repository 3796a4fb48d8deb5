using System.Text.Json.Serialization;

namespace TaskOrchestrator.Core.Tasks;

/// <summary>How urgent a task is; higher priorities are handed out first.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TaskPriority>))]
public enum TaskPriority
{
    /// <summary>Whenever there is time.</summary>
    [JsonStringEnumMemberName("low")] Low,

    /// <summary>The default.</summary>
    [JsonStringEnumMemberName("medium")] Medium,

    /// <summary>Before ordinary work.</summary>
    [JsonStringEnumMemberName("high")] High,

    /// <summary>Before everything else.</summary>
    [JsonStringEnumMemberName("critical")] Critical,
}
