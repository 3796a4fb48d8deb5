using System.Text.Json.Serialization;

namespace TaskOrchestrator.Core.Artifacts;

/// <summary>What an artifact holds.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ArtifactType>))]
public enum ArtifactType
{
    /// <summary>Anything not covered below.</summary>
    [JsonStringEnumMemberName("general")] General,

    /// <summary>Source code or a patch.</summary>
    [JsonStringEnumMemberName("code")] Code,

    /// <summary>Prose documentation.</summary>
    [JsonStringEnumMemberName("documentation")] Documentation,

    /// <summary>Findings of an analysis or investigation.</summary>
    [JsonStringEnumMemberName("analysis")] Analysis,

    /// <summary>A design or architecture decision.</summary>
    [JsonStringEnumMemberName("design")] Design,

    /// <summary>Tests or test results.</summary>
    [JsonStringEnumMemberName("test")] Test,

    /// <summary>Configuration.</summary>
    [JsonStringEnumMemberName("configuration")] Configuration,

    /// <summary>A review with its verdict.</summary>
    [JsonStringEnumMemberName("review")] Review,

    /// <summary>A synthesized report.</summary>
    [JsonStringEnumMemberName("report")] Report,
}
