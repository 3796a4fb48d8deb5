using System.Text.Json.Serialization;

namespace TaskOrchestrator.Mcp.Tools;

/// <summary>Which sessions orchestrator_list_sessions shows.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SessionFilter>))]
public enum SessionFilter
{
    /// <summary>Every session.</summary>
    [JsonStringEnumMemberName("all")] All,

    /// <summary>Active sessions.</summary>
    [JsonStringEnumMemberName("active")] Active,

    /// <summary>Archived sessions.</summary>
    [JsonStringEnumMemberName("archived")] Archived,
}
