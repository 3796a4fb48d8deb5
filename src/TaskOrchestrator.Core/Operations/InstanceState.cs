using System.Text.Json.Serialization;

namespace TaskOrchestrator.Core.Operations;

/// <summary>The lifecycle of a server process as its row records it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<InstanceState>))]
public enum InstanceState
{
    /// <summary>Serving and heartbeating.</summary>
    [JsonStringEnumMemberName("running")] Running,

    /// <summary>Shutting down gracefully.</summary>
    [JsonStringEnumMemberName("stopping")] Stopping,

    /// <summary>Shut down gracefully.</summary>
    [JsonStringEnumMemberName("stopped")] Stopped,

    /// <summary>Stopped heartbeating without shutting down; found and marked by another process.</summary>
    [JsonStringEnumMemberName("dead")] Dead,
}
