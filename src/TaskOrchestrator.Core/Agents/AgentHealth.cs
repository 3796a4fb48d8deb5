using System.Text.Json.Serialization;

namespace TaskOrchestrator.Core.Agents;

/// <summary>How an agent's risk score is classified against the configured thresholds.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AgentHealth>))]
public enum AgentHealth
{
    /// <summary>Risk below the healthy threshold.</summary>
    [JsonStringEnumMemberName("healthy")] Healthy,

    /// <summary>Risk at or above the healthy threshold and below the degraded one.</summary>
    [JsonStringEnumMemberName("degraded")] Degraded,

    /// <summary>Risk at or above the degraded threshold: the agent's circuit opens.</summary>
    [JsonStringEnumMemberName("critical")] Critical,
}
