using System.Text.Json.Serialization;

namespace TaskOrchestrator.Core.Maintenance;

/// <summary>How deep <c>validate_structure</c> looks.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ValidationLevel>))]
public enum ValidationLevel
{
    /// <summary>Quick store check, dangling references and dependency cycles.</summary>
    [JsonStringEnumMemberName("basic")] Basic,

    /// <summary>Basic, plus parent/child status consistency and dependencies that can never be satisfied.</summary>
    [JsonStringEnumMemberName("standard")] Standard,

    /// <summary>Standard, plus the full store integrity check and re-hashing every artifact.</summary>
    [JsonStringEnumMemberName("thorough")] Thorough,
}
