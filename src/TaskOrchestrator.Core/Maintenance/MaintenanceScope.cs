using System.Text.Json.Serialization;

namespace TaskOrchestrator.Core.Maintenance;

/// <summary>Which tasks a maintenance action looks at.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MaintenanceScope>))]
public enum MaintenanceScope
{
    /// <summary>Every task of the workspace.</summary>
    [JsonStringEnumMemberName("workspace")] Workspace,

    /// <summary>The tasks of one session.</summary>
    [JsonStringEnumMemberName("session")] Session,

    /// <summary>One task and its subtree.</summary>
    [JsonStringEnumMemberName("subtree")] Subtree,
}
