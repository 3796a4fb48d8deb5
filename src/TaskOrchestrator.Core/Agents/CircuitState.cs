using System.Text.Json.Serialization;

namespace TaskOrchestrator.Core.Agents;

/// <summary>The claim circuit of an agent.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CircuitState>))]
public enum CircuitState
{
    /// <summary>Claims are handed out normally.</summary>
    [JsonStringEnumMemberName("closed")] Closed,

    /// <summary>The agent went critical: no claims until the cool-down has passed.</summary>
    [JsonStringEnumMemberName("open")] Open,

    /// <summary>After the cool-down: the agent may hold exactly one probe task; its outcome decides.</summary>
    [JsonStringEnumMemberName("half_open")] HalfOpen,
}
