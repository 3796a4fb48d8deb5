using System.Text.Json.Serialization;

namespace TaskOrchestrator.Core.Maintenance.Dependencies;

/// <summary>How bad a dependency finding is.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FindingSeverity>))]
public enum FindingSeverity
{
    /// <summary>The data is inconsistent: a cycle or a reference to nothing.</summary>
    [JsonStringEnumMemberName("error")] Error,

    /// <summary>Work is stuck and cannot proceed as planned.</summary>
    [JsonStringEnumMemberName("warning")] Warning,

    /// <summary>Nothing is broken yet, but the plan carries a risk.</summary>
    [JsonStringEnumMemberName("info")] Info,
}
