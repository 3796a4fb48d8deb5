using System.Text.Json.Serialization;

namespace TaskOrchestrator.Core.Operations;

/// <summary>How healthy a check, or the whole server, is. Ordered: a larger value is worse.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HealthStatus>))]
public enum HealthStatus
{
    /// <summary>Working as it should.</summary>
    [JsonStringEnumMemberName("healthy")] Healthy,

    /// <summary>Working, but past a warning threshold: act before it gets worse.</summary>
    [JsonStringEnumMemberName("degraded")] Degraded,

    /// <summary>Not working, or about to stop working.</summary>
    [JsonStringEnumMemberName("critical")] Critical,
}
