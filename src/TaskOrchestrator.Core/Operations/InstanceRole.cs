using System.Text.Json.Serialization;

namespace TaskOrchestrator.Core.Operations;

/// <summary>What a server process is.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<InstanceRole>))]
public enum InstanceRole
{
    /// <summary>The stable process that owns the client's stdio and runs workers.</summary>
    [JsonStringEnumMemberName("supervisor")] Supervisor,

    /// <summary>The orchestrator run by a supervisor.</summary>
    [JsonStringEnumMemberName("worker")] Worker,

    /// <summary>The orchestrator run without a supervisor.</summary>
    [JsonStringEnumMemberName("standalone")] Standalone,
}
