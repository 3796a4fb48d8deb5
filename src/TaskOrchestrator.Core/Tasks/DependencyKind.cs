using System.Text.Json.Serialization;

namespace TaskOrchestrator.Core.Tasks;

/// <summary>How a dependency constrains the dependent task.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DependencyKind>))]
public enum DependencyKind
{
    /// <summary>The dependent task is not ready until this one is completed.</summary>
    [JsonStringEnumMemberName("hard")] Hard,

    /// <summary>Informational: its results are handed to the dependent task, but it does not gate readiness.</summary>
    [JsonStringEnumMemberName("soft")] Soft,
}
