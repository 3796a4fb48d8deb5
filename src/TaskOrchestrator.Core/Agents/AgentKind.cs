using System.Text.Json.Serialization;

namespace TaskOrchestrator.Core.Agents;

/// <summary>What drives an agent.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AgentKind>))]
public enum AgentKind
{
    /// <summary>A language model working through an MCP client.</summary>
    [JsonStringEnumMemberName("llm")] Llm,

    /// <summary>A headless worker process running a command per task.</summary>
    [JsonStringEnumMemberName("worker")] Worker,
}
